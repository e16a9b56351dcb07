package jsonfile

import "github.com/ocicaps/ocicaps/results"

// clients copies a registry's client readiness with its lists non-nil
// (via and evidence are [] for a prediction alone, never null), sharing
// nothing mutable; nil stays nil so that a run without --clients has no
// clients field.
func clients(ws []results.ClientWorkflow) []results.ClientWorkflow {
	if ws == nil {
		return nil
	}
	out := make([]results.ClientWorkflow, len(ws))
	for i, w := range ws {
		w.Via = nonNil(w.Via)
		if w.Egress != nil {
			w.Egress = nonNil(w.Egress)
		}
		w.Evidence = exchanges(w.Evidence)
		out[i] = w
	}
	return out
}
