package steps

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/results"
)

// shared holds the answers several scenarios of one registry need alike:
// reads of the test image's manifest, which no scenario ever writes. The
// first scenario to ask sends the request; the others wait for it and
// record the same exchange as their own evidence, so every report reads as
// if each had asked (issue 15: work not repeated).
type shared struct {
	mu      sync.Mutex
	answers map[string]*sharedAnswer

	// last holds the clean-ups of objects several scenarios push alike,
	// the empty JSON "{}" blob of every artifact: sent once, when all the
	// registry's scenarios are done (Target.Finish). Deleted by each
	// scenario, side by side one deleted it while another was between
	// pushing it and pushing the manifest naming it (Distribution then
	// refused that manifest with MANIFEST_BLOB_UNKNOWN); taking turns
	// instead made every artifact scenario wait for the others, 10 s of
	// a 100 ms registry's run.
	last []cleanup
}

type sharedAnswer struct {
	once sync.Once
	resp *client.Response
	ex   results.Exchange
	err  error
}

// do answers req from the registry's shared answers when it is a read of
// the test manifest, and sends it otherwise.
func (st *state) do(ctx context.Context, req client.Request) (*client.Response, results.Exchange, error) {
	key, ok := sharedKey(st.target, req)
	if !ok {
		return st.target.Client.Do(ctx, req)
	}
	a := st.target.shared.answer(key)
	a.once.Do(func() { a.resp, a.ex, a.err = st.target.Client.Do(ctx, req) })
	return a.resp, a.ex, a.err
}

func (s *shared) answer(key string) *sharedAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.answers == nil {
		s.answers = map[string]*sharedAnswer{}
	}
	a, ok := s.answers[key]
	if !ok {
		a = &sharedAnswer{}
		s.answers[key] = a
	}
	return a
}

// sharedKey names a GET or HEAD of the test image's manifest by its
// method, path and headers; any other request is not shared.
func sharedKey(t *Target, req client.Request) (string, bool) {
	if (req.Method != http.MethodGet && req.Method != http.MethodHead) || len(req.Body) > 0 || req.Cleanup {
		return "", false
	}
	reg := t.Registry
	if reg.TestRepository == "" || req.Target != "/v2/"+reg.TestRepository+"/manifests/"+reg.TestTag {
		return "", false
	}
	names := make([]string, 0, len(req.Header))
	for n := range req.Header {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(req.Method + " " + req.Target)
	for _, n := range names {
		b.WriteString("\n" + n + ": " + strings.Join(req.Header[n], ", "))
	}
	return b.String(), true
}

// cleanupLast moves the scenario's clean-up of u to the end of the
// registry's run, once for all the scenarios that register it.
func (st *state) cleanupLast(u string) {
	for i, c := range st.cleanups {
		if c.target != u {
			continue
		}
		st.cleanups = append(st.cleanups[:i], st.cleanups[i+1:]...)
		s := &st.target.shared
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, l := range s.last {
			if l.target == u {
				return
			}
		}
		s.last = append(s.last, c)
		return
	}
}

// Finish sends the clean-ups left to the end of the registry's run (see
// shared.last), in the order of their URLs whichever scenario registered
// them, and returns what they could not remove.
func (t *Target) Finish(ctx context.Context) []results.Leftover {
	t.shared.mu.Lock()
	last := t.shared.last
	t.shared.last = nil
	t.shared.mu.Unlock()
	if len(last) == 0 {
		return nil
	}
	sort.Slice(last, func(i, j int) bool { return last[i].target > last[j].target }) // runCleanups goes last first
	st := newState(t)
	st.cleanups = last
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	st.runCleanups(cctx)
	return st.leftovers
}
