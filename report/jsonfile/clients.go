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
		xs := make([]results.Exchange, len(w.Evidence))
		for k, e := range w.Evidence {
			e.RequestHeaders = headers(e.RequestHeaders)
			e.ResponseHeaders = headers(e.ResponseHeaders)
			if e.Command != nil {
				cmd := *e.Command
				cmd.Argv = nonNil(cmd.Argv)
				e.Command = &cmd
			}
			xs[k] = e
		}
		w.Evidence = xs
		out[i] = w
	}
	return out
}
