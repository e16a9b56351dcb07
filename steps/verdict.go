package steps

import (
	"errors"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// verdict is what the scenario concluded, as its steps ran: the first
// failure, an outcome step's decision, the facts it recorded and the
// deviations it found. It owns the rule that turns them into a status and
// a reason (decide).
type verdict struct {
	failed      error    // first failed step
	unsupported string   // reason given by an "unsupported" outcome step
	decided     bool     // a "supported when" outcome held: later steps are passed over
	evidence    string   // what held, for a supported verdict
	held        []string // "unsupported unless" conditions that held, for the evidence
	// nonAnswer is set when an outcome step met a non-answer status that it
	// did not name; unless a later one names it, the scenario is an error.
	nonAnswer    string
	supportTried []tried
	facts        []results.Fact
	// deviations recorded by "the registry deviates from …" steps.
	deviations []results.Deviation
}

// tried is a "supported when" that did not hold: which request, and what
// was seen instead.
type tried struct{ request, seen string }

// fail keeps the first failure: the later ones follow from it.
func (v *verdict) fail(err error) {
	if v.failed == nil && err != nil {
		v.failed = err
	}
}

// deferNonAnswer records a non-answer met by an outcome step that offers
// alternatives, so that a later step naming the status can still decide.
func (v *verdict) deferNonAnswer(err error) bool {
	var na *errNonAnswer
	if !errors.As(err, &na) {
		return false
	}
	if v.nonAnswer == "" {
		v.nonAnswer = na.msg
	}
	return true
}

// record sets the fact name, once per name: the last value wins.
func (v *verdict) record(name, value string) {
	for i := range v.facts {
		if v.facts[i].Name == name {
			v.facts[i].Value = value
			return
		}
	}
	v.facts = append(v.facts, results.Fact{Name: name, Value: value})
}

// decide turns the scenario's bookkeeping into a status and its reason.
func (v *verdict) decide() (results.Status, string) {
	switch {
	case v.failed != nil:
		return results.Error, v.failed.Error()
	case v.unsupported != "":
		return results.Unsupported, v.unsupported
	case v.decided:
		return results.Supported, v.evidence
	case v.nonAnswer != "":
		return results.Error, v.nonAnswer
	case len(v.supportTried) > 0:
		// Each entry says what was seen instead of what a "supported when"
		// asked for; the request is named once per run of entries.
		var parts []string
		prev := ""
		for _, t := range v.supportTried {
			if t.request != prev {
				parts = append(parts, t.request+": "+t.seen)
				prev = t.request
			} else {
				parts = append(parts, t.seen)
			}
		}
		return results.Unsupported, strings.Join(parts, "; and ")
	}
	// No "supported when" decided: the scenario passed every check; the
	// reason names the ones that held.
	return results.Supported, strings.Join(v.held, "; ")
}
