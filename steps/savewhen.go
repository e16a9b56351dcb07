package steps

import "context"

// saveTextWhen saves a text as a variable only if the conditions hold for
// the current response: e.g. the largest body size a registry took, over
// requests of growing sizes ("I save "8 MiB" as "largestPatch" when the
// status is 202"). Conditions are judged as the clean-up steps judge them:
// a status that holds no answer (401, 5xx) simply does not match; put a
// "the scenario is an error when …" step before it where that matters.
func (st *state) saveTextWhen(ctx context.Context, text, v, conditions string) error {
	ok, err := st.holds(conditions)
	if err != nil || !ok {
		return err
	}
	return st.saveText(ctx, text, v)
}

// holds judges the conditions of a step that acts only when they hold (I
// save … when, I record … when, I send a DELETE … when the scenario ends,
// if …): every answer is judged as it is, so a 401 or a 5xx simply does
// not match "the status is 202", and nothing here decides the verdict.
func (st *state) holds(conditions string) (bool, error) {
	conds, err := parseConditions(conditions)
	if err != nil {
		return false, err
	}
	ok, _, err := evalWith(st, conds, func(int) bool { return false })
	return ok, err
}
