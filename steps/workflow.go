package steps

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"github.com/ocicaps/ocicaps/results"
)

// workflow is what a client workflow's verdict steps concluded: an
// outcome that ends the scenario (fails, unsafe) with its reason, a
// fallback taken, or the client not installed.
type workflow struct {
	wfOutcome results.Outcome
	wfReason  string
	fellBack  string // the reason of the fallback taken, "" when none
	// notInstalled says why the client could not be run: the workflow
	// stays a prediction.
	notInstalled string
}

// WorkflowOutcome is what a run of a client workflow decided (ocicaps
// run --clients). Confirmed is true when the run decided the outcome;
// an empty Outcome says the client could not be run (not installed):
// the runner keeps the prediction; Unknown, unconfirmed, that the run
// could not decide (the registry's 5xx, the time limit).
type WorkflowOutcome struct {
	Outcome   results.Outcome
	Confirmed bool
	Reason    string
}

// errWorkflowDecided stops a client scenario whose outcome a verdict step
// decided: godog skips the steps after it.
type errWorkflowDecided struct{ reason string }

func (e *errWorkflowDecided) Error() string { return "workflow decided: " + e.reason }
func (e *errWorkflowDecided) Unwrap() error { return godog.ErrSkip }

func (st *state) workflowFailsWhen(_ context.Context, text, reason string) error {
	return st.workflowVerdict(results.Fails, text, reason, true)
}

func (st *state) workflowFailsUnless(_ context.Context, text, reason string) error {
	return st.workflowVerdict(results.Fails, text, reason, false)
}

func (st *state) workflowUnsafeWhen(_ context.Context, text, reason string) error {
	return st.workflowVerdict(results.Unsafe, text, reason, true)
}

func (st *state) workflowUnsafeUnless(_ context.Context, text, reason string) error {
	return st.workflowVerdict(results.Unsafe, text, reason, false)
}

func (st *state) workflowFallsBackWhen(_ context.Context, text, reason string) error {
	return st.workflowVerdict(results.WorksWithFallback, text, reason, true)
}

func (st *state) workflowFallsBackUnless(_ context.Context, text, reason string) error {
	return st.workflowVerdict(results.WorksWithFallback, text, reason, false)
}

// workflowVerdict decides outcome when the conditions' truth is want: a
// fallback is noted and the scenario goes on; fails and unsafe end it.
// A condition that cannot be judged (a registry's 5xx, a 401) is an
// error: the workflow's outcome is then unknown.
func (st *state) workflowVerdict(outcome results.Outcome, text, reason string, want bool) error {
	ok, obs, err := st.judge(text)
	if err != nil {
		return err
	}
	if ok != want {
		return nil
	}
	r, err := st.expand(reason)
	if err != nil {
		return err
	}
	if r == "" {
		r = st.requestName() + ": " + obs
	}
	if outcome == results.WorksWithFallback {
		if st.fellBack == "" {
			st.fellBack = r
		}
		return nil
	}
	st.wfOutcome, st.wfReason = outcome, r
	return &errWorkflowDecided{reason: r}
}

// decideWorkflow turns a client scenario's bookkeeping into its outcome:
// not installed (unconfirmed), an error (unknown), a verdict step's
// outcome, a fallback taken, or works.
func (st *state) decideWorkflow() WorkflowOutcome {
	switch {
	case st.notInstalled != "":
		return WorkflowOutcome{Reason: st.notInstalled}
	case st.failed != nil && !isDecided(st.failed):
		return WorkflowOutcome{Outcome: results.Unknown, Reason: "the run could not decide: " + st.failed.Error()}
	case st.unsupported != "" || len(st.deviations) > 0:
		// A capability's outcome step, which validate refuses in a client
		// file: what it says is about a capability, not the workflow.
		return WorkflowOutcome{Outcome: results.Unknown, Reason: "the run could not decide: a capability's outcome step decided the scenario (" + st.capabilityOutcome() + "), which says nothing of the workflow"}
	case !st.ranClient():
		return WorkflowOutcome{Outcome: results.Unknown, Reason: "the workflow ran no client"}
	case st.wfOutcome != "":
		return WorkflowOutcome{Outcome: st.wfOutcome, Confirmed: true, Reason: st.wfReason}
	case st.fellBack != "":
		return WorkflowOutcome{Outcome: results.WorksWithFallback, Confirmed: true, Reason: st.fellBack}
	}
	return WorkflowOutcome{Outcome: results.Works, Confirmed: true, Reason: st.worked()}
}

// capabilityOutcome names what a capability's outcome step said.
func (st *state) capabilityOutcome() string {
	if st.unsupported != "" {
		return "unsupported: " + st.unsupported
	}
	return "deviates from the spec: " + st.deviations[0].Section
}

// ranClient tells whether the scenario ran a client program: a workflow
// that ran none shows nothing of the client.
func (st *state) ranClient() bool {
	for _, ex := range st.exchanges {
		if ex.Command != nil {
			return true
		}
	}
	return false
}

func isDecided(err error) bool {
	var d *errWorkflowDecided
	var n *NotInstalledError
	return errors.As(err, &d) || errors.As(err, &n)
}

// worked says what the client did when no verdict step fired: its runs.
func (st *state) worked() string {
	var runs []string
	for _, ex := range st.exchanges {
		if ex.Command != nil {
			runs = append(runs, "$ "+ex.Command.Line()+" (exit "+strconv.Itoa(ex.Command.ExitCode)+")")
		}
	}
	if len(runs) == 0 {
		return "no verdict step fired"
	}
	return "every check held after " + strings.Join(runs, "; then ")
}
