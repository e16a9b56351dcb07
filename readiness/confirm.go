package readiness

import (
	"fmt"
	"strings"
	"time"

	"github.com/ocicaps/ocicaps/results"
)

// Run is what a run of the real client decided for a workflow.
type Run struct {
	// Outcome is empty when the client could not be run (not
	// installed), Unknown when the run could not decide (the registry's
	// 5xx, the time limit); Reason says why, or what the client did.
	Outcome   results.Outcome
	Confirmed bool
	Reason    string
	// Evidence are the client's runs and the requests that checked them;
	// Egress what the client tried to reach besides the registry.
	Evidence []results.Exchange
	Egress   []string
	Version  string
	Duration time.Duration
}

// Confirm folds a run of the client into the workflow's prediction p.
// A confirmed outcome replaces the prediction as the outcome (Predicted
// stays); one that differs from a prediction that was not unknown is a
// mismatch, whose reason names the workflow's file:line to fix.
func Confirm(w Workflow, p results.ClientWorkflow, run Run) results.ClientWorkflow {
	out := p
	out.Version, out.DurationMS, out.Egress = run.Version, run.Duration.Milliseconds(), run.Egress
	if run.Evidence != nil {
		out.Evidence = run.Evidence
	}
	switch {
	case run.Outcome == "":
		out.Reason = joinReasons(p.Reason, "not confirmed: "+run.Reason)
		return out
	case run.Outcome == results.Unknown || !run.Confirmed:
		out.Outcome, out.Confirmed = results.Unknown, false
		out.Reason = joinReasons(run.Reason+egressWords(w.Client, run.Egress), fmt.Sprintf("predicted %s: %s", p.Predicted, p.Reason))
		return out
	case (run.Outcome == results.Fails || run.Outcome == results.Unsafe) && len(run.Egress) > 0:
		// The run's proxy refused a host the client needed: the sink
		// caused the failure, not the registry.
		out.Outcome, out.Confirmed = results.Unknown, false
		out.Reason = joinReasons(fmt.Sprintf("the run could not decide: %s needed %s, which the run does not allow (clients reach only the registry and its token service); the run %s (%s)",
			w.Client, strings.Join(egressHosts(run.Egress), ", "), verb(run.Outcome), run.Reason), fmt.Sprintf("predicted %s: %s", p.Predicted, p.Reason))
		return out
	}
	out.Outcome, out.Confirmed = run.Outcome, true
	out.Reason = run.Reason
	if run.Outcome != results.Works {
		out.Reason += egressWords(w.Client, run.Egress)
	}
	if run.Outcome == p.Predicted {
		return out
	}
	out.Via, out.Settings, out.Advice = describe(w, p, run.Outcome)
	if p.Predicted != results.Unknown {
		out.Mismatch = true
		out.Reason = fmt.Sprintf("%s ran and the workflow %s (%s), but the registry's capabilities predict %s (%s): fix the workflow at %s",
			w.Client, verb(run.Outcome), out.Reason, p.Predicted, p.Reason, w.Source)
	}
	return out
}

// verb says an outcome after "the workflow".
func verb(o results.Outcome) string {
	switch o {
	case results.Unsafe, results.Unknown:
		return "is " + string(o)
	case results.WorksWithFallback:
		return "works with a fallback"
	}
	return string(o)
}

// describe is via, settings and advice for a confirmed outcome the
// prediction did not give.
func describe(w Workflow, p results.ClientWorkflow, o results.Outcome) ([]string, string, string) {
	switch o {
	case results.Works:
		s, advice := recommend(w.Settings)
		return nonNil(w.Needs), s, advice
	case results.WorksWithFallback:
		s, advice := recommend(w.FallbackSettings)
		if len(w.Fallbacks) == 0 {
			return []string{}, s, advice
		}
		return w.Fallbacks[:1], s, advice
	}
	via := p.Via
	if p.Predicted != results.Fails && p.Predicted != results.Unsafe {
		via = w.Needs
	}
	return nonNil(via), "", w.WhenItFails
}

// egressWords says what a client tried to reach besides the registry.
func egressWords(client string, egress []string) string {
	if len(egress) == 0 {
		return ""
	}
	return fmt.Sprintf("; %s tried to reach %s (the run's proxy answers nothing)", client, strings.Join(egress, ", "))
}

// egressHosts are the hosts of what the sink was asked ("CONNECT
// host:port" → host:port).
func egressHosts(egress []string) []string {
	out := make([]string, 0, len(egress))
	for _, e := range egress {
		_, host, ok := strings.Cut(e, " ")
		if !ok {
			host = e
		}
		out = append(out, host)
	}
	return out
}

func joinReasons(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
