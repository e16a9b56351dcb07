package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/retry"
)

func TestWrittenPaths(t *testing.T) {
	resp := func(status int, u string, h http.Header) *client.Response {
		pu, _ := url.Parse(u)
		return &client.Response{Status: status, URL: pu, Header: h}
	}
	body := []byte("{}")
	d := digestOf(body)
	cases := []struct {
		name       string
		req        client.Request
		resp       *client.Response
		wantDigest string
		want       []string
	}{
		{"manifest by tag", client.Request{Method: "PUT", Body: body}, resp(201, "http://r/v2/a/b/manifests/v1", http.Header{"Docker-Content-Digest": {d}}),
			d, []string{"/v2/a/b/manifests/v1", "/v2/a/b/manifests/" + d}},
		{"blob upload", client.Request{Method: "PUT"}, resp(201, "http://r/v2/a/blobs/uploads/u?digest=sha256:1", http.Header{"Location": {"/v2/a/blobs/sha256:1"}}),
			"", []string{"/v2/a/blobs/sha256:1", "/v2/a/blobs/sha256:1"}},
		{"mount", client.Request{Method: "POST"}, resp(201, "http://r/v2/a/blobs/uploads/?mount=sha256:2&from=b", http.Header{}),
			"", []string{"/v2/a/blobs/sha256:2"}},
		{"session opened", client.Request{Method: "POST"}, resp(202, "http://r/v2/a/blobs/uploads/", http.Header{"Location": {"/v2/a/blobs/uploads/u"}}), "", nil},
		{"refused", client.Request{Method: "PUT", Body: body}, resp(400, "http://r/v2/a/manifests/v1", http.Header{}), "", nil},
	}
	for _, tc := range cases {
		digest, got := writtenPaths(tc.req, tc.resp)
		if digest != tc.wantDigest || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %q %q, want %q %q", tc.name, digest, got, tc.wantDigest, tc.want)
		}
	}
}

// Deleting a manifest by digest forgets its tags; deleting a tag leaves
// the manifest (by digest) written.
func TestWriteLogForget(t *testing.T) {
	var w writeLog
	w.add("sha256:m", "/v2/a/manifests/v1", "/v2/a/manifests/sha256:m")
	w.add("sha256:n", "/v2/b/manifests/v1", "/v2/b/manifests/sha256:n")
	w.forget("/v2/a/manifests/sha256:m")
	if _, ok := w.when("/v2/a/manifests/v1"); ok {
		t.Error("the tag of a manifest deleted by digest is still expected")
	}
	w.forget("/v2/b/manifests/v1")
	if _, ok := w.when("/v2/b/manifests/sha256:n"); !ok {
		t.Error("deleting a tag forgot its manifest")
	}
}

// lagRegistry stores manifests and answers the first hide GETs of each
// with 404, as a registry whose reads lag writes; gets counts GETs.
func lagRegistry(t *testing.T, hide int) (*client.Client, *atomic.Int32) {
	var gets atomic.Int32
	var mu sync.Mutex
	stored := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.Method {
		case http.MethodPut:
			stored[r.URL.Path] = 0
			w.WriteHeader(http.StatusCreated)
		case http.MethodGet:
			gets.Add(1)
			n, ok := stored[r.URL.Path]
			if !ok || n < hide {
				stored[r.URL.Path] = n + 1
				w.WriteHeader(http.StatusNotFound)
				return
			}
			w.Write([]byte("{}"))
		}
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(srv.URL, client.Options{Retry: &retry.Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	return c, &gets
}

func TestReadAfterWriteWaits(t *testing.T) {
	c, gets := lagRegistry(t, 2)
	st := newState(&Target{Client: c, Registry: config.Registry{Consistency: config.Consistency{Wait: time.Minute}}})
	ctx := context.Background()
	st.body = []byte("{}")
	if err := st.send(ctx, http.MethodPut, "/v2/a/manifests/v1"); err != nil {
		t.Fatal(err)
	}
	if err := st.send(ctx, http.MethodGet, "/v2/a/manifests/v1"); err != nil {
		t.Fatal(err)
	}
	ex := st.exchanges[len(st.exchanges)-1]
	if st.last.Status != 200 || gets.Load() != 3 || ex.Attempts != 3 || len(ex.Retries) != 2 {
		t.Fatalf("status %d after %d GETs, exchange %d attempts %q", st.last.Status, gets.Load(), ex.Attempts, ex.Retries)
	}
	if len(st.facts) != 1 || st.facts[0].Name != FactReadAfterWrite || !strings.HasPrefix(st.facts[0].Value, "readable ") {
		t.Errorf("facts %+v", st.facts)
	}
	// An object never written: its 404 counts at once.
	if err := st.send(ctx, http.MethodGet, "/v2/a/manifests/never"); err != nil || st.last.Status != 404 || gets.Load() != 4 {
		t.Errorf("never written: %v %d, GETs %d", err, st.last.Status, gets.Load())
	}
}

func TestReadAfterWriteWithoutWait(t *testing.T) {
	c, gets := lagRegistry(t, 2)
	st := newState(&Target{Client: c, Registry: config.Registry{Consistency: config.Consistency{Wait: 0}}})
	ctx := context.Background()
	st.body = []byte("{}")
	_ = st.send(ctx, http.MethodPut, "/v2/a/manifests/v1")
	if err := st.send(ctx, http.MethodGet, "/v2/a/manifests/v1"); err != nil || st.last.Status != 404 || gets.Load() != 1 || len(st.facts) != 0 {
		t.Errorf("consistency.wait 0: %v %d after %d GETs, facts %v", err, st.last.Status, gets.Load(), st.facts)
	}
}
