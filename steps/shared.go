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

	// deleted lists the manifests clean-ups deleted by digest. Some
	// registries (olareg) keep a deleted manifest's bytes and serve them
	// as a blob of the repository: Finish asks about one, and deletes all
	// as blobs when it is still there.
	deleted []cleanup

	// pushes are the blobs pushed once for all scenarios (sharedpush.go).
	pushes map[string]*sharedPush
}

// manifestDeleted notes a manifest a clean-up deleted by its digest.
func (t *Target) manifestDeleted(c cleanup) {
	if c.what != "manifest" || c.digest == "" || c.repository == "" || !strings.HasSuffix(c.target, "/manifests/"+c.digest) {
		return
	}
	t.shared.mu.Lock()
	defer t.shared.mu.Unlock()
	t.shared.deleted = append(t.shared.deleted, c)
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
	last, deleted := t.shared.last, t.shared.deleted
	t.shared.last, t.shared.deleted = nil, nil
	t.shared.pushes = nil // deleted below: a later push must store them again
	t.shared.mu.Unlock()
	if len(last) == 0 && len(deleted) == 0 {
		return nil
	}
	sort.Slice(last, func(i, j int) bool { return last[i].target > last[j].target }) // runCleanups goes last first
	st := newState(t)
	st.cleanups = last
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	st.runCleanups(cctx)
	st.cleanups = st.manifestBytesKept(cctx, deleted)
	st.runCleanups(cctx)
	return st.leftovers
}

// manifestBytesKept returns blob clean-ups of the deleted manifests' bytes
// when the registry still serves the first one as a blob (one HEAD per run
// where it does not), sorted by URL.
func (st *state) manifestBytesKept(ctx context.Context, deleted []cleanup) []cleanup {
	if len(deleted) == 0 {
		return nil
	}
	sort.Slice(deleted, func(i, j int) bool { return deleted[i].target < deleted[j].target })
	first := deleted[0]
	resp, _, err := st.target.Client.Do(ctx, client.Request{Method: http.MethodHead, Target: st.blobURL(first.repository, first.digest), Cleanup: true})
	if err != nil || resp.Status != http.StatusOK {
		return nil
	}
	var out []cleanup
	for i := len(deleted) - 1; i >= 0; i-- { // runCleanups goes last first
		d := deleted[i]
		out = append(out, cleanup{what: "blob", method: http.MethodDelete,
			target: st.blobURL(d.repository, d.digest), repository: d.repository, digest: d.digest})
	}
	return out
}
