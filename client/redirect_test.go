package client

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"oras.land/oras-go/v2/registry/remote/auth"

	"github.com/ocicaps/ocicaps/retry"
)

// storageServer serves "blob" at any path and records the credential
// headers it gets.
type storageServer struct {
	*httptest.Server
	hits        atomic.Int32
	mu          sync.Mutex
	credentials []string
}

func newStorage(t *testing.T, h http.HandlerFunc) *storageServer {
	s := &storageServer{}
	if h == nil {
		h = func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "blob") }
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		for _, k := range []string{"Authorization", "Cookie", "Proxy-Authorization", "X-Registry-Auth"} {
			if v := r.Header.Get(k); v != "" {
				s.mu.Lock()
				s.credentials = append(s.credentials, k+": "+v)
				s.mu.Unlock()
			}
		}
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// redirecting is a registry that wants alice:secret and answers every
// blob GET with a 307 to loc(path).
func redirecting(t *testing.T, loc func(path string) string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "alice" || p != "secret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(401)
			return
		}
		w.Header().Set("Docker-Content-Digest", "sha256:0")
		http.Redirect(w, r, loc(r.URL.Path), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func aliceClient(t *testing.T, base string, opt Options) *Client {
	u := strings.TrimPrefix(base, "http://")
	opt.Credential = auth.StaticCredential(u, auth.Credential{Username: "alice", Password: "secret"})
	opt.Retry = &retry.Policy{}
	c, err := New(base, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// TestRedirectFollowedWithoutCredentials: a blob GET answered 307 to
// storage on another origin is followed; the storage gets no credentials,
// cookies or tokens; the transcript has both hops; the answer is the
// storage's.
func TestRedirectFollowedWithoutCredentials(t *testing.T) {
	storage := newStorage(t, nil)
	reg := redirecting(t, func(p string) string { return storage.URL + "/data" + p + "?X-Amz-Signature=s3cr3t" })
	c := aliceClient(t, reg.URL, Options{})
	h := http.Header{"Range": {"bytes=0-0"}, "Cookie": {"session=abc"}, "X-Registry-Auth": {"tok"}}
	resp, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/x/blobs/sha256:0", Header: h})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != 200 || string(resp.Body) != "blob" || resp.RedirectRefused != "" {
		t.Fatalf("answer %d %q refused %q", resp.Status, resp.Body, resp.RedirectRefused)
	}
	if storage.hits.Load() != 1 || len(storage.credentials) != 0 {
		t.Fatalf("storage hits %d, credentials it got: %q", storage.hits.Load(), storage.credentials)
	}
	if resp.URL.Path != "/v2/x/blobs/sha256:0" || len(resp.Redirects) != 1 || strings.Contains(resp.Redirects[0], "s3cr3t") {
		t.Errorf("URL %s, redirects %q", resp.URL, resp.Redirects)
	}
	if len(ex.Hops) != 2 || ex.Hops[0].Status != 307 || ex.Hops[1].Status != 200 || ex.Status != 200 {
		t.Fatalf("exchange status %d, hops %+v", ex.Status, ex.Hops)
	}
	if ex.Hops[0].RequestHeaders["Authorization"] == nil {
		t.Error("the registry's hop shows no Authorization: the test did not authenticate")
	}
	if got := ex.Hops[1].RequestHeaders; got["Authorization"] != nil || got["Cookie"] != nil || got["X-Registry-Auth"] != nil || got["Range"] == nil {
		t.Errorf("storage hop request headers %v", got)
	}
	if strings.Contains(ex.Hops[1].URL, "s3cr3t") {
		t.Errorf("signature in the transcript: %s", ex.Hops[1].URL)
	}
}

// TestRedirectSameOriginKeepsCredentials: a hop back to the registry's
// own origin authenticates like any request to it.
func TestRedirectSameOriginKeepsCredentials(t *testing.T) {
	var authorized atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "alice" || p != "secret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(401)
			return
		}
		authorized.Add(1)
		if r.URL.Path == "/v2/x/manifests/latest" {
			http.Redirect(w, r, "/v2/y/manifests/latest", http.StatusMovedPermanently)
			return
		}
		io.WriteString(w, "{}")
	}))
	defer srv.Close()
	c := aliceClient(t, srv.URL, Options{})
	resp, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/x/manifests/latest"})
	if err != nil || resp.Status != 200 || string(resp.Body) != "{}" {
		t.Fatalf("%v %v", resp, err)
	}
	if authorized.Load() != 2 || len(ex.Hops) != 2 {
		t.Errorf("authorized requests %d, hops %d", authorized.Load(), len(ex.Hops))
	}
}

// TestRedirectRefused: redirects a client must not follow end the chain
// with the redirect as the answer and the reason, and nothing is sent
// where it must not go: not to the target, not to the dialer.
func TestRedirectRefused(t *testing.T) {
	var loopTarget string
	cases := []struct {
		name, want string
		loc        func(storage, path string) string
		storageH   http.HandlerFunc
		wantHits   int32
	}{
		{"file", `"file:" is not an http or https URL`, func(string, string) string { return "file:///etc/passwd" }, nil, 0},
		{"metadata", "metadata", func(string, string) string { return "http://169.254.169.254/latest/meta-data/" }, nil, 0},
		{"metadata by name", "metadata", func(string, string) string { return "http://metadata.google.internal/x" }, nil, 0},
		{"loop", "loop", func(s, p string) string { loopTarget = s + "/again"; return loopTarget }, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/again", http.StatusFound)
		}, 1},
		{"hop limit", fmt.Sprintf("more than %d redirects", MaxRedirects), func(s, p string) string { return s + "/0" }, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.Path+"x", http.StatusTemporaryRedirect)
		}, MaxRedirects},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storage := newStorage(t, tc.storageH)
			reg := redirecting(t, func(p string) string { return tc.loc(storage.URL, p) })
			var mu sync.Mutex
			var dialed []string
			dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
				mu.Lock()
				dialed = append(dialed, addr)
				mu.Unlock()
				// Never off loopback, even if the guard under test regressed.
				if host, _, err := net.SplitHostPort(addr); err != nil || !net.ParseIP(host).IsLoopback() {
					return nil, fmt.Errorf("test dialer: %s is not a loopback address", addr)
				}
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			}
			c := aliceClient(t, reg.URL, Options{DialContext: dial})
			resp, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/x/blobs/sha256:0"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(resp.RedirectRefused, tc.want) || !redirectStatus(resp.Status) {
				t.Errorf("answer %d, refused %q, want it to say %q", resp.Status, resp.RedirectRefused, tc.want)
			}
			if got := storage.hits.Load(); got != tc.wantHits || len(storage.credentials) != 0 {
				t.Errorf("storage hits %d (want %d), credentials %q", got, tc.wantHits, storage.credentials)
			}
			for _, a := range dialed {
				if strings.HasPrefix(a, "169.254.") || strings.HasPrefix(a, "metadata") {
					t.Errorf("dialed %s", a)
				}
			}
			last := ex.Hops[len(ex.Hops)-1]
			if last.Status != 0 || !strings.HasPrefix(last.Error, "not sent: ") {
				t.Errorf("last hop %+v", last)
			}
		})
	}
}

// TestRedirectHTTPSToHTTPRefused: a registry on https redirecting to
// plain http is not followed.
func TestRedirectHTTPSToHTTPRefused(t *testing.T) {
	storage := newStorage(t, nil)
	reg := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, storage.URL+"/b", http.StatusTemporaryRedirect)
	}))
	defer reg.Close()
	c, err := New(reg.URL, Options{TLS: reg.Client().Transport.(*http.Transport).TLSClientConfig, Retry: &retry.Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := c.Do(context.Background(), Request{Method: "HEAD", Target: "/v2/x/blobs/sha256:0"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.RedirectRefused, "https to plain http") || storage.hits.Load() != 0 {
		t.Errorf("refused %q, storage hits %d", resp.RedirectRefused, storage.hits.Load())
	}
}

// TestRedirectOnlyForReads: a PUT answered with a redirect is not
// followed (the steps read its Location).
func TestRedirectOnlyForReads(t *testing.T) {
	storage := newStorage(t, nil)
	reg := redirecting(t, func(p string) string { return storage.URL + p })
	c := aliceClient(t, reg.URL, Options{})
	resp, ex, err := c.Do(context.Background(), Request{Method: "PUT", Target: "/v2/x/manifests/latest", Body: []byte("{}")})
	if err != nil || resp.Status != 307 || storage.hits.Load() != 0 || ex.Hops != nil {
		t.Fatalf("%v %v hits %d hops %v", resp, err, storage.hits.Load(), ex.Hops)
	}
}
