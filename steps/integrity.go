package steps

import (
	"context"

	"github.com/ocicaps/ocicaps/results"
)

// Integrity steps: content read back is compared with what was written.
// A registry that returns other bytes is not missing a feature, it
// corrupts data: the capability is unsupported with a reason that says so
// in words no report can soften, and an integrity deviation makes the
// registry fail whatever the capability's severity (results.Summarize).

func (st *state) corruptsUnless(_ context.Context, text, what string) error {
	return st.corrupts(text, what, false)
}

func (st *state) corruptsWhen(_ context.Context, text, what string) error {
	return st.corrupts(text, what, true)
}

// corrupts ends the scenario with an integrity failure when the
// conditions' truth is want. A non-answer (401, 429, 5xx) is judged as in
// every outcome step: it is an error unless a condition names it, since a
// 503 says nothing about the bytes the registry holds.
func (st *state) corrupts(text, what string, want bool) error {
	conds, err := parseConditions(text)
	if err != nil {
		return err
	}
	ok, obs, err := evalAll(st, conds)
	if err != nil {
		return err
	}
	if ok != want {
		if ok {
			// The content compared: evidence for a supported verdict.
			st.held = append(st.held, st.requestName()+": "+obs)
		}
		return nil
	}
	w, err := st.expand(what)
	if err != nil {
		return err
	}
	rule := results.IntegrityWords + ": " + w
	if !want && obs != "" {
		rule += " (" + obs + ")"
	}
	ev := st.culprit(conds)
	st.deviations = append(st.deviations, results.Deviation{Section: results.IntegritySection, Rule: rule, Evidence: ev, Kind: results.KindIntegrity})
	st.unsupported = rule
	return &errUnsupported{reason: rule}
}
