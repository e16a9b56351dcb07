package steps

import (
	"fmt"
	"strings"

	"github.com/ocicaps/ocicaps/suite"
)

func init() {
	// The steps that send HTTP requests make an HTTP response the current
	// observation: the "I send" steps and the registry helpers (a helper
	// that sends nothing only hides a problem from validate, it makes
	// none). A step of another driver sets its own kind where it is
	// defined.
	for _, d := range defs {
		if d.observes == 0 && (d.Group == groupRegistry || d.Group == groupRequests && strings.HasPrefix(d.Pattern, "^I send")) {
			d.observes = httpResponse
		}
	}
}

// CheckObservations follows a scenario's steps (the Background's first)
// in order, with the kind of observation each leaves current, and names
// every condition about the current observation that cannot judge its
// kind (suite.Validate's ObservationChecker; each error is a *CheckError
// with a hint). Steps that are not in the vocabulary are Check's to report.
func CheckObservations(texts []string) []suite.IndexedError {
	return checkObservations(defs, texts)
}

func checkObservations(vocab []*Def, texts []string) []suite.IndexedError {
	var out []suite.IndexedError
	var current observationKind // none yet
	from := -1
	for i, text := range texts {
		d := onlyMatch(vocab, text)
		if d == nil {
			continue
		}
		for _, bc := range conditionsOf(d, text) {
			if current != 0 && bc.c.current() && bc.c.reads()&current == 0 {
				out = append(out, suite.IndexedError{Step: i, Err: problem(
					fmt.Sprintf("judge it right after a step that makes %s, or use a condition that judges %s (`ocicaps steps`)", bc.c.reads(), current),
					"the condition %q judges %s, but the current observation is %s (from step %q)", bc.text, bc.c.reads(), current, texts[from])})
			}
		}
		if d.observes != 0 {
			current, from = d.observes, i
		}
	}
	return out
}

// onlyMatch is the one definition text matches, or nil.
func onlyMatch(vocab []*Def, text string) *Def {
	if isVocabulary(vocab) {
		if m := matching(text); len(m) == 1 {
			return m[0]
		}
		return nil
	}
	var found *Def
	for _, d := range vocab {
		if d.Matches(text) {
			if found != nil {
				return nil
			}
			found = d
		}
	}
	return found
}

// conditionsOf are the conditions a step judges: a check step's own, an
// outcome or clean-up step's argument.
func conditionsOf(d *Def, text string) []boundCondition {
	if d.Group == groupChecks {
		if c, args, ok := matchCondition(text); ok {
			return []boundCondition{{c, args, text}}
		}
		return nil
	}
	if cond := conditionArg(d, text); cond != "" {
		conds, _ := parseConditions(cond)
		return conds
	}
	return nil
}
