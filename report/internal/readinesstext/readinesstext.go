// Package readinesstext words the client readiness of a registry
// (results.ClientWorkflow) for every writer, so that the console,
// summary.md, report.html, junit.xml and ctrf.json say the same thing.
// The words about a client (what to run, what not to) come from the
// model: the workflow file's Settings and "If it fails:" advice; this
// package only places them.
package readinesstext

import (
	"fmt"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// Basis words.
const (
	Confirmed = "confirmed"
	Predicted = "predicted"
)

// NoSettings is what to do when the client's defaults work.
const NoSettings = "no settings needed"

// Basis says what decided the outcome: "confirmed" (the real client ran
// it), "predicted" (from the registry's capabilities alone), or, when the
// client ran but could not decide, "not confirmed; predicted works". A
// mismatch is said by Mismatch, not here.
func Basis(w results.ClientWorkflow, text func(string) string) string {
	switch {
	case w.Confirmed:
		return Confirmed
	case w.Predicted != "" && w.Predicted != w.Outcome:
		return "not confirmed; predicted " + text(string(w.Predicted))
	}
	return Predicted
}

// Mismatch is "MISMATCH: predicted works" when the real client did
// something else than the prediction; "" otherwise.
func Mismatch(w results.ClientWorkflow, text func(string) string) string {
	if !w.Mismatch {
		return ""
	}
	return "MISMATCH: predicted " + text(string(w.Predicted))
}

// Todo is what a user should do with the workflow on this registry, in
// words (text is applied to each string of the model, so a writer can
// escape it and show its backtick-quoted commands as code, see Spans):
// the workflow's advice, else "use `<settings>`", else, when it works as
// it is, NoSettings; for an outcome nobody could decide, or a failure
// without advice, the reason.
func Todo(w results.ClientWorkflow, text func(string) string) string {
	advice, settings := strings.TrimSpace(w.Advice), strings.TrimSpace(w.Settings)
	switch {
	case w.Outcome == results.Unknown:
		return text(w.Reason)
	case advice != "" && settings != "" && !strings.Contains(advice, settings):
		return text(advice) + " (settings: " + text(quote(settings)) + ")"
	case advice != "":
		return text(advice)
	case settings != "":
		return "use " + text(quote(settings))
	case w.Outcome == results.Works || w.Outcome == results.WorksWithFallback:
		return NoSettings
	}
	return text(w.Reason)
}

// quote puts settings in backticks, as the advice texts quote commands,
// unless they hold a backtick themselves.
func quote(settings string) string {
	if strings.Contains(settings, "`") {
		return settings
	}
	return "`" + settings + "`"
}

// Egress is "tried to reach CONNECT a:443, CONNECT b:443 (the proxy
// answered nothing)", or "" when the client reached nothing but the
// registry.
func Egress(w results.ClientWorkflow, text func(string) string) string {
	if len(w.Egress) == 0 {
		return ""
	}
	var hosts []string
	for _, e := range w.Egress {
		hosts = append(hosts, text(e))
	}
	return "tried to reach " + strings.Join(hosts, ", ") + " (the proxy every client runs behind answered nothing)"
}

// Counts is "2 confirmed, 1 predicted", leaving out a zero; "" for none.
func Counts(ws []results.ClientWorkflow) string {
	conf := 0
	for _, w := range ws {
		if w.Confirmed {
			conf++
		}
	}
	var parts []string
	if conf > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", conf, Confirmed))
	}
	if n := len(ws) - conf; n > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", n, Predicted))
	}
	return strings.Join(parts, ", ")
}

// Attention reports whether the workflow must stand out in a report: an
// unsafe outcome (the client reports success while data is lost or
// damaged) or a real run that contradicts the prediction.
func Attention(w results.ClientWorkflow) bool {
	return w.Outcome == results.Unsafe || w.Mismatch
}

// Ran reports whether the real client was run for the workflow (a run
// of it is in the evidence: requests alone may be the scenario's set-up),
// whether or not the run decided the outcome. It reads the evidence: give
// it a registry read back complete (results.Run.Each), not a light copy.
func Ran(w results.ClientWorkflow) bool {
	if w.Confirmed {
		return true
	}
	for _, e := range w.Evidence {
		if e.Command != nil {
			return true
		}
	}
	return false
}

// Span is a piece of an advice text: words, or a command the workflow
// file quoted in backticks.
type Span struct {
	Text string
	Code bool
}

// Spans splits s at its backticks so that a writer can show what the
// workflow file quoted ("use `oras attach --distribution-spec …`") as
// code; with an odd number of backticks s is one span of words.
func Spans(s string) []Span {
	parts := strings.Split(s, "`")
	if len(parts)%2 == 0 {
		return []Span{{Text: s}}
	}
	var out []Span
	for i, p := range parts {
		if p != "" {
			out = append(out, Span{Text: p, Code: i%2 == 1})
		}
	}
	return out
}
