package results

import "fmt"

// Details gives back the complete results of a run's registries when the
// run keeps only their light copies in memory (Light): a fleet's evidence
// is written to disk as each registry finishes (runner.Options.Spool), so
// that memory does not grow with the fleet. Registry(i) is the complete
// Registries[i].
type Details interface {
	Registry(i int) (Registry, error)
}

// Each calls fn with every registry of the run, complete (with its
// evidence), in order (Full). Only one registry read back is alive at a
// time, so writers that go through Each never hold the whole fleet's
// evidence. fn must not keep reg after it returns.
func (r *Run) Each(fn func(i int, reg *Registry) error) error {
	for i := range r.Registries {
		reg := &r.Registries[i]
		if r.Details != nil {
			full, err := r.Full(i)
			if err != nil {
				return err
			}
			reg = &full
		}
		if err := fn(i, reg); err != nil {
			return err
		}
	}
	return nil
}

// Full returns Registries[i] complete: from Details when the run has
// them.
func (r *Run) Full(i int) (Registry, error) {
	reg := r.Registries[i]
	if r.Details == nil {
		return reg, nil
	}
	full, err := r.Details.Registry(i)
	if err != nil {
		return reg, fmt.Errorf("reading back the results of %s: %w", reg.Name, err)
	}
	if full.Name != reg.Name {
		return reg, fmt.Errorf("reading back the results of %s: found %s", reg.Name, full.Name)
	}
	return full, nil
}

// Light returns reg without its evidence: the exchanges of each capability
// and of each client workflow (requests, headers, bodies, command
// outputs), which are most of a registry's memory. What stays is what the
// fleet-level rows need: verdicts, reasons, facts, deviations, score,
// severity, leftovers, warnings. The Unreachable answer needs exchanges:
// ask it of the complete registry (Each).
func Light(reg Registry) Registry {
	caps := make([]Capability, len(reg.Capabilities))
	for i, c := range reg.Capabilities {
		c.Exchanges = nil
		caps[i] = c
	}
	reg.Capabilities = caps
	if reg.Clients != nil {
		clients := make([]ClientWorkflow, len(reg.Clients))
		for i, w := range reg.Clients {
			w.Evidence = nil
			clients[i] = w
		}
		reg.Clients = clients
	}
	return reg
}
