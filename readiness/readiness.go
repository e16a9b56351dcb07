// Package readiness predicts whether a client workflow (oras attach,
// regctl tag delete, …) works on a registry from the registry's
// capability verdicts, and folds a run of the real client into the
// prediction (issue 23). It needs no client installed: a prediction is a
// pure function of the verdicts and the workflow file's tags.
package readiness

import (
	"fmt"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// Workflow is what a client workflow file says of one workflow.
type Workflow struct {
	Client, ID, Name string
	// Source is the scenario's file:line.
	Source string
	// Needs are the capabilities the client uses by default; Fallbacks
	// those it can use instead, in order of preference.
	Needs, Fallbacks []string
	// FailsWithout are capabilities without which the registry refuses
	// the operation: when neither needs nor fallbacks hold and one of
	// them is unsupported, the outcome is Fails whatever Otherwise says.
	FailsWithout []string
	// Otherwise is the outcome when neither holds: Fails or Unsafe.
	Otherwise results.Outcome
	// Settings and FallbackSettings are the recommended flags ("" when
	// the defaults do); WhenItFails the advice for fails and unsafe.
	Settings, FallbackSettings, WhenItFails string
}

// Predict is the outcome the registry's capability verdicts (id →
// status; a capability missing from the map was not in the run) give
// the workflow:
//   - every need supported: works, through the needs, with Settings;
//   - else the first fallback supported: works-with-fallback, through it,
//     with FallbackSettings;
//   - else, when every need and fallback was judged (supported or
//     unsupported): fails when a FailsWithout capability is unsupported
//     (the registry refuses the operation), else the Otherwise outcome,
//     through the missing ones, with the WhenItFails advice;
//   - else unknown, naming the capabilities not run or in error.
func Predict(w Workflow, verdicts map[string]results.Status) results.ClientWorkflow {
	out := results.ClientWorkflow{Client: w.Client, Workflow: w.ID, Name: w.Name, Source: w.Source, Evidence: []results.Exchange{}}
	set := func(o results.Outcome, via []string, settings, advice, reason string) results.ClientWorkflow {
		out.Predicted, out.Outcome = o, o
		out.Via, out.Settings, out.Advice, out.Reason = nonNil(via), settings, advice, reason
		return out
	}
	missing, unjudged := split(w.Needs, verdicts)
	if len(missing) == 0 && len(unjudged) == 0 {
		s, advice := recommend(w.Settings)
		return set(results.Works, w.Needs, s, advice, supportsAll(w.Needs))
	}
	for _, fb := range w.Fallbacks {
		if verdicts[fb] == results.Supported {
			reason := fmt.Sprintf("%s; it supports %s instead", lacks(missing, unjudged, verdicts), fb)
			s, advice := recommend(w.FallbackSettings)
			return set(results.WorksWithFallback, []string{fb}, s, advice, reason)
		}
	}
	fbMissing, fbUnjudged := split(w.Fallbacks, verdicts)
	if len(unjudged)+len(fbUnjudged) > 0 {
		return set(results.Unknown, nil, "", "", "cannot predict: "+notJudged(append(unjudged, fbUnjudged...), verdicts))
	}
	reason := lacks(missing, nil, verdicts)
	if len(fbMissing) > 0 {
		reason += fmt.Sprintf(", nor its fallback %s", strings.Join(fbMissing, " or "))
	}
	refused, fwUnjudged := split(w.FailsWithout, verdicts)
	switch {
	case len(refused) > 0:
		reason += fmt.Sprintf(", nor %s: it refuses the operation, and the client stops with an error", strings.Join(refused, " or "))
		return set(results.Fails, append(append(missing, fbMissing...), refused...), "", w.WhenItFails, reason)
	case len(fwUnjudged) > 0 && w.Otherwise != results.Fails:
		return set(results.Unknown, nil, "", "", "cannot predict: "+notJudged(fwUnjudged, verdicts))
	}
	return set(w.Otherwise, append(missing, fbMissing...), "", w.WhenItFails, reason)
}

// split sorts ids into those judged unsupported and those not judged
// (not in the run, or in error); supported ones are in neither.
func split(ids []string, verdicts map[string]results.Status) (missing, unjudged []string) {
	for _, id := range ids {
		switch verdicts[id] {
		case results.Supported:
		case results.Unsupported:
			missing = append(missing, id)
		default:
			unjudged = append(unjudged, id)
		}
	}
	return missing, unjudged
}

func supportsAll(ids []string) string {
	if len(ids) == 0 {
		return "the workflow needs no capability beyond pulling and pushing"
	}
	return "the registry supports " + strings.Join(ids, " and ")
}

// lacks says which needs are missing or unknown.
func lacks(missing, unjudged []string, verdicts map[string]results.Status) string {
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "the registry does not support "+strings.Join(missing, " or "))
	}
	if len(unjudged) > 0 {
		parts = append(parts, notJudged(unjudged, verdicts))
	}
	return strings.Join(parts, "; ")
}

// notJudged names capabilities without a verdict and why.
func notJudged(ids []string, verdicts map[string]results.Status) string {
	var parts []string
	for _, id := range ids {
		if s, ok := verdicts[id]; ok {
			parts = append(parts, fmt.Sprintf("%s is in %s", id, s))
		} else {
			parts = append(parts, id+" was not run")
		}
	}
	return strings.Join(parts, ", ")
}

// recommend reads a Settings: line: the flags to recommend and the
// advice in words. "none" is no flags; "none (why)" no flags with the
// words after it kept as advice ("no settings needed (oras keeps …)").
func recommend(line string) (settings, advice string) {
	line = strings.TrimSpace(line)
	lower := strings.ToLower(line)
	switch {
	case line == "" || lower == "none":
		return "", ""
	case strings.HasPrefix(lower, "none") && !isWordByte(lower[len("none")]):
		return "", "no settings needed " + strings.TrimSpace(line[len("none"):])
	}
	return line, "use " + line
}

func isWordByte(b byte) bool {
	return b == '-' || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z'
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
