package steps

import "context"

// saveTextWhen saves a text as a variable only if the conditions hold for
// the current response: e.g. the largest body size a registry took, over
// requests of growing sizes ("I save "8 MiB" as "largestPatch" when the
// status is 202"). Conditions are judged as the clean-up steps judge them:
// a status that holds no answer (401, 5xx) simply does not match; put a
// "the scenario is an error when …" step before it where that matters.
func (st *state) saveTextWhen(_ context.Context, text, v, conditions string) error {
	conds, err := parseConditions(conditions)
	if err != nil {
		return err
	}
	r, err := st.response()
	if err != nil {
		return err
	}
	for _, bc := range conds {
		ok, _, err := bc.c.eval(st, r, bc.args)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
	}
	return st.saveText(context.Background(), text, v)
}
