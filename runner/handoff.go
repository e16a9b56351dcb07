package runner

import (
	"sync"

	"github.com/ocicaps/ocicaps/results"
)

// Spool takes each registry's complete results as it finishes, so that the
// run keeps only a light copy of it in memory (results.Light) and memory
// does not grow with the fleet; it gives them back, one at a time, to the
// report writers (results.Run.Each). Put is called from any goroutine.
type Spool interface {
	// Put keeps r, the registry at index i of the run's Registries.
	Put(i int, r results.Registry) error
	results.Details
}

// handoff hands each finished registry to the Spool (Options.Spool) and
// keeps its light copy in the run; a registry the spool could not take
// stays complete in memory, so that nothing is lost.
type handoff struct {
	spool Spool
	run   *results.Run
	// pos is each registry's index in the file (plan.number): set before
	// the registry is handed to the spool, which keeps it as written.
	pos  map[string]int
	mu   sync.Mutex
	kept map[int]bool // registries the spool refused, complete in run
}

func newHandoff(p *plan, run *results.Run) *handoff {
	h := &handoff{spool: p.Spool, run: run, kept: map[int]bool{}}
	if h.spool == nil {
		return h
	}
	listed := p.Listed
	if listed == nil {
		listed = p.Registries
	}
	h.pos = make(map[string]int, len(listed))
	for i, r := range listed {
		h.pos[r.Name] = i
	}
	run.Details = h
	return h
}

// put stores the registry at index i: its light copy when the spool took
// it.
func (h *handoff) put(i int, r results.Registry) {
	if h.spool == nil {
		h.run.Registries[i] = r
		return
	}
	r.Index = h.pos[r.Name]
	if err := h.spool.Put(i, r); err != nil {
		h.mu.Lock()
		h.kept[i] = true
		h.mu.Unlock()
		h.run.Registries[i] = r
		return
	}
	h.run.Registries[i] = results.Light(r)
}

// Registry is the complete registry i: from the spool, or the run when
// the spool refused it.
func (h *handoff) Registry(i int) (results.Registry, error) {
	h.mu.Lock()
	kept := h.kept[i]
	h.mu.Unlock()
	if kept {
		return h.run.Registries[i], nil
	}
	return h.spool.Registry(i)
}
