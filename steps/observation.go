package steps

import (
	"fmt"
	"strings"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/program"
)

// An observation is what a driver saw for one action of a scenario: the
// registry's answer to an HTTP request (package client), or the run of a
// client program (package program). Conditions judge the current
// observation through this interface, so one condition can judge both
// where it makes sense (a body and a program's output are both content);
// a condition that reads what only HTTP has (a status, headers, a media
// type) says so with its kinds, and validate names it when a scenario
// uses it on a program's run.
type observation interface {
	kind() observationKind
	// content is a response's body or a program's output.
	content() []byte
}

// observationKind is a set of kinds of observation.
type observationKind uint8

const (
	httpResponse observationKind = 1 << iota
	programRun
)

// String names the kinds for a message: "an HTTP response", "a program's
// run", "an HTTP response or a program's run".
func (k observationKind) String() string {
	var names []string
	if k&httpResponse != 0 {
		names = append(names, "an HTTP response")
	}
	if k&programRun != 0 {
		names = append(names, "a program's run")
	}
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(names, " or ")
}

// contentNoun is what a condition calls the content of an observation.
func contentNoun(o observation) string {
	if o.kind() == programRun {
		return "the output"
	}
	return "the body"
}

type httpObservation struct{ *client.Response }

func (httpObservation) kind() observationKind { return httpResponse }
func (o httpObservation) content() []byte     { return o.Body }

type programObservation struct{ *program.Result }

func (programObservation) kind() observationKind { return programRun }
func (o programObservation) content() []byte     { return o.Output }

// reads is the kinds of observation a condition judges: HTTP responses
// unless it says otherwise.
func (c *condition) reads() observationKind {
	if c.kinds == 0 {
		return httpResponse
	}
	return c.kinds
}

// evaluate judges a condition on the current observation o: judge for a
// condition that reads any kind, else eval on the HTTP response (nil for
// a condition about variables or every response, before any request).
func (c *condition) evaluate(st *state, o observation, args []string) (bool, string, error) {
	if c.judge != nil && o != nil {
		return c.judge(st, o, args)
	}
	return c.eval(st, st.last, args)
}

// errWrongKind is a condition about the current observation used on a
// kind it cannot judge.
func errWrongKind(bc boundCondition, o observation) error {
	return fmt.Errorf("the condition %q judges %s, but the current observation is %s", bc.text, bc.c.reads(), o.kind())
}

// checkKinds refuses, before anything is judged, a condition about the
// current observation that cannot judge its kind.
func checkKinds(conds []boundCondition, o observation) error {
	for _, bc := range conds {
		if bc.c.current() && bc.c.reads()&o.kind() == 0 {
			return errWrongKind(bc, o)
		}
	}
	return nil
}
