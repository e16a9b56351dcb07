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

	// fixedBlobs is held by the one scenario at a time that pushes blobs
	// whose bytes are fixed, so that every scenario pushing them would
	// push the same object (the empty JSON "{}" of artifacts): from its
	// first push of one to the end of its clean-ups. Side by side, one
	// scenario deleting "{}" while another was between pushing it and
	// pushing the manifest naming it made that push fail
	// (MANIFEST_BLOB_UNKNOWN); taking turns, each scenario pushes and
	// deletes its own, as it does when scenarios run one after another.
	fixedBlobs sync.Mutex
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
