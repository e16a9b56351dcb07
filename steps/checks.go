package steps

import (
	"context"
	"fmt"
	"regexp"
)

// Check steps: each condition of the condition language (conditions.go) is
// also a step. A failed check is an error, because the scenario cannot go
// on meaningfully.

func checkDefs(conds []*condition) []*Def {
	out := make([]*Def, 0, len(conds))
	for _, c := range conds {
		out = append(out, step(groupChecks, "^"+c.pattern+"$", c.example,
			c.doc+" Fails the scenario (as an error) when it does not hold.", checkHandler(c)))
	}
	return out
}

// checkHandler gives godog a function whose arity is the pattern's number
// of groups, as godog requires.
func checkHandler(c *condition) any {
	check := func(st *state, _ context.Context, args ...string) error { return st.check(c, args) }
	switch regexp.MustCompile(c.pattern).NumSubexp() {
	case 0:
		return h0(func(st *state, ctx context.Context) error { return check(st, ctx) })
	case 1:
		return h1(func(st *state, ctx context.Context, a string) error { return check(st, ctx, a) })
	case 2:
		return h2(func(st *state, ctx context.Context, a, b string) error { return check(st, ctx, a, b) })
	default:
		return h3(func(st *state, ctx context.Context, a, b, c string) error { return check(st, ctx, a, b, c) })
	}
}

func (st *state) check(c *condition, args []string) error {
	ok, obs, err := evalAll(st, []boundCondition{{c, args, ""}})
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("check failed: %s", obs)
	}
	return nil
}
