package steps

import (
	"context"
	"errors"
	"strings"
)

// Outcome steps: they decide whether the capability is supported.

func (st *state) supportedWhen(_ context.Context, text string) error {
	ok, obs, err := st.judge(text)
	if st.deferNonAnswer(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if ok {
		st.decided = true
		st.evidence = strings.Join(append(st.held, st.requestName()+": "+obs), "; ")
		return nil
	}
	st.supportTried = append(st.supportTried, tried{request: st.requestName(), seen: obs})
	return nil
}

func (st *state) unsupportedWhen(_ context.Context, text, reason string) error {
	ok, _, err := st.judge(text)
	if st.deferNonAnswer(err) {
		return nil
	}
	if err != nil || !ok {
		return err
	}
	return st.markUnsupported(reason)
}

func (st *state) unsupportedUnless(_ context.Context, text, reason string) error {
	ok, obs, err := st.judge(text)
	if err != nil {
		return err
	}
	if ok {
		st.held = append(st.held, st.requestName()+": "+obs)
		return nil
	}
	if strings.TrimSpace(reason) == "" {
		reason = st.requestName() + ": " + obs
	}
	return st.markUnsupported(reason)
}

func (st *state) otherwiseUnsupported(_ context.Context, reason string) error {
	if st.nonAnswer != "" {
		// The answer was no answer: say so rather than "unsupported".
		return errors.New(st.nonAnswer)
	}
	return st.markUnsupported(reason)
}

// judge parses an outcome step's conditions and evaluates them against the
// current response.
func (st *state) judge(text string) (bool, string, error) {
	conds, err := parseConditions(text)
	if err != nil {
		return false, "", err
	}
	return evalAll(st, conds)
}

func (st *state) markUnsupported(reason string) error {
	r, err := st.expand(reason)
	if err != nil {
		return err
	}
	st.unsupported = r
	return &errUnsupported{reason: r}
}
