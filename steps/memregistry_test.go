package steps

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/retry"
)

// memRegistry is just enough of a registry for the push helpers' unit
// tests (the e2e tests use the real zoo): blobs by POST then PUT,
// manifests by tag or digest, GET, HEAD and DELETE, one namespace for
// every repository. flip, when set, changes one byte of every blob read.
type memRegistry struct {
	mu        sync.Mutex
	blobs     map[string][]byte
	manifests map[string][]byte // by tag and by digest
	types     map[string]string
	pushed    [][]byte // manifest bodies, in order
	flip      bool
	next      int
}

func newMemRegistry(t *testing.T) (*memRegistry, *state) {
	t.Helper()
	m := &memRegistry{blobs: map[string][]byte{}, manifests: map[string][]byte{}, types: map[string]string{}}
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	c, err := client.New(srv.URL, client.Options{Retry: &retry.Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return m, newState(&Target{Client: c})
}

func (m *memRegistry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	defer m.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	p := r.URL.Path
	last := p[strings.LastIndex(p, "/")+1:]
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/blobs/uploads/"):
		m.next++
		w.Header().Set("Location", fmt.Sprintf("/upload/%d", m.next))
		w.WriteHeader(http.StatusAccepted)
	case r.Method == http.MethodPut && strings.HasPrefix(p, "/upload/"):
		m.blobs[r.URL.Query().Get("digest")] = body
		w.WriteHeader(http.StatusCreated)
	case strings.Contains(p, "/blobs/") && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		b, ok := m.blobs[last]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		out := append([]byte(nil), b...)
		if m.flip && len(out) > 0 {
			out[0] ^= 1
		}
		w.Write(out)
	case strings.Contains(p, "/manifests/") && r.Method == http.MethodPut:
		d := digestOf(body)
		for _, ref := range []string{last, d} {
			m.manifests[ref], m.types[ref] = body, r.Header.Get("Content-Type")
		}
		m.pushed = append(m.pushed, body)
		w.Header().Set("Docker-Content-Digest", d)
		w.WriteHeader(http.StatusCreated)
	case strings.Contains(p, "/manifests/") && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		b, ok := m.manifests[last]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", m.types[last])
		w.Header().Set("Docker-Content-Digest", digestOf(b))
		w.Header().Set("Content-Length", fmt.Sprint(len(b)))
		if r.Method == http.MethodGet {
			w.Write(b)
		}
	case r.Method == http.MethodDelete:
		w.WriteHeader(http.StatusAccepted)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}
