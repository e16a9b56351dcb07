package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cucumber/godog"
	"github.com/ocicaps/ocicaps/internal/crash"
	"github.com/ocicaps/ocicaps/results"
)

// CleanupTimeout bounds the clean-up requests of one scenario. They run on a
// context detached from the run's, so an interrupted run still closes what
// it opened.
const CleanupTimeout = 30 * time.Second

// InterruptCleanupBudget is what clean-ups get once the run's context ends
// (an interrupt, a registry or run timeout): a registry whose DELETE never
// answers must not hold an interrupted run for CleanupTimeout. What is not
// cleaned by then is reported as left over (README).
const InterruptCleanupBudget = 2 * time.Second

// errCleanupBudget is why a clean-up was cut short.
var errCleanupBudget = fmt.Errorf("interrupted: clean-ups get %s after the run ends", InterruptCleanupBudget)

// cleanupContext is detached from ctx, bounded by CleanupTimeout, and cut
// InterruptCleanupBudget after ctx ends.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	base, cancelTimeout := context.WithTimeout(context.WithoutCancel(ctx), CleanupTimeout)
	cctx, cancel := context.WithCancelCause(base)
	stop := context.AfterFunc(ctx, func() {
		time.AfterFunc(InterruptCleanupBudget, func() { cancel(errCleanupBudget) })
	})
	return cctx, func() {
		stop()
		cancel(nil)
		cancelTimeout()
	}
}

// Register installs the vocabulary (or only the definitions given, see
// Needed) and the per-scenario hooks for target; report gets each outcome.
func Register(sc *godog.ScenarioContext, target *Target, report func(*godog.Scenario, Outcome), only ...*Def) {
	for _, d := range orVocabulary(only) {
		sc.Step(d.re, d.fn)
	}
	sc.Before(func(ctx context.Context, sc *godog.Scenario) (context.Context, error) {
		st := newState(target)
		st.client = clientTag(sc)
		return withState(ctx, st), nil
	})
	sc.StepContext().After(func(ctx context.Context, step *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
		st, serr := stateOf(ctx)
		if serr != nil {
			return ctx, err
		}
		switch status {
		case godog.StepFailed, godog.StepAmbiguous:
			st.fail(err)
		case godog.StepUndefined, godog.StepPending:
			st.fail(fmt.Errorf("step %q is not in the vocabulary (run `ocicaps steps`)", step.Text))
		case godog.StepSkipped:
			var u *errUnsupported
			if errors.As(err, &u) && st.unsupported == "" {
				st.unsupported = u.reason
			}
		}
		return ctx, err
	})
	sc.After(func(ctx context.Context, sc *godog.Scenario, err error) (context.Context, error) {
		st, serr := stateOf(ctx)
		if serr != nil {
			return ctx, err
		}
		cctx, cancel := cleanupContext(ctx)
		if perr := protect("the clean-ups", func() { st.runCleanups(cctx) }); perr != nil {
			st.failed = perr
		}
		cancel()
		st.closeFiles()
		if err != nil && !errors.Is(err, godog.ErrSkip) {
			st.fail(err)
		}
		var o Outcome
		if perr := protect("the verdict", func() { o = st.outcome() }); perr != nil {
			o = Outcome{Status: results.Error, Reason: perr.Error()}
		}
		report(sc, o)
		return ctx, err
	})
}

// protect runs fn and turns a panic in it into an error (internal/crash):
// a scenario's hooks run in godog's goroutines, where a panic would end the
// whole process without a report.
func protect(what string, fn func()) (err error) {
	defer func() { err = crash.Recovered(what, recover()) }()
	fn()
	return nil
}

// clientTag is the client id of a client workflow's file (@client:oras,
// inherited by its scenarios), "" for a capability's scenario.
func clientTag(sc *godog.Scenario) string {
	for _, t := range sc.Tags {
		if id, ok := strings.CutPrefix(t.Name, "@client:"); ok {
			return id
		}
	}
	return ""
}
