package steps

import (
	"context"
	"errors"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// Outcome steps: they decide whether the capability is supported.

func (st *state) supportedWhen(_ context.Context, text string) error {
	ok, obs, err := st.judge(text)
	if m := st.malformed(err); m != nil {
		return m
	}
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
	if m := st.malformed(err); m != nil {
		return m
	}
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
	if m := st.malformed(err); m != nil {
		return m
	}
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

// errorWhen ends the scenario as an error when the conditions hold: the
// answer says nothing about the capability (see the outcome rules in
// docs/writing-scenarios.md).
func (st *state) errorWhen(_ context.Context, text, reason string) error {
	ok, _, err := st.judge(text)
	if err != nil || !ok {
		return err
	}
	r, err := st.expand(reason)
	if err != nil {
		return err
	}
	return errors.New(r)
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

// malformed turns a body that claims to be JSON and does not parse into
// an unsupported verdict naming the parse failure: an answer the capability
// needs as JSON that no client can read is no support (issue 20, item 5).
// It is nil for any other error.
func (st *state) malformed(err error) error {
	var m *errMalformed
	if !errors.As(err, &m) {
		return nil
	}
	// Not expanded: the message quotes the registry's bytes' parse error.
	st.unsupported = st.requestName() + ": " + m.msg
	return &errUnsupported{reason: st.unsupported}
}

func (st *state) markUnsupported(reason string) error {
	r, err := st.expand(reason)
	if err != nil {
		return err
	}
	st.unsupported = r
	return &errUnsupported{reason: r}
}

// Deviation steps: the operation may work, but the registry broke a MUST of
// the spec on the way. They record the deviation and the scenario goes on;
// the verdict is left to the other outcome steps.

func (st *state) deviatesWhen(_ context.Context, section, text, rule string) error {
	return st.deviates(section, text, rule, true)
}

func (st *state) deviatesUnless(_ context.Context, section, text, rule string) error {
	return st.deviates(section, text, rule, false)
}

// deviates records a deviation from section when the conditions' truth is
// want. A 5xx is judged like any answer (a 500 where the spec requires 404
// is the deviation); a 401, 403, 429 or redirect says nothing about the
// registry's rules, so the step records nothing and, as the other outcome
// steps do, leaves it to a later step to name that status.
func (st *state) deviates(section, text, rule string, want bool) error {
	conds, err := parseConditions(text)
	if err != nil {
		return err
	}
	ok, _, err := evalWith(st, conds, func(status int) bool { return nonAnswer(status) && status < 500 })
	var m *errMalformed
	if st.deferNonAnswer(err) || errors.As(err, &m) {
		// A malformed body is judged by the outcome steps after this
		// one (unsupported, the parse failure named).
		return nil
	}
	if err != nil || ok != want {
		return err
	}
	r, err := st.expand(rule)
	if err != nil {
		return err
	}
	st.deviations = append(st.deviations, results.Deviation{Section: section, Rule: r, Evidence: st.culprit(conds)})
	return nil
}
