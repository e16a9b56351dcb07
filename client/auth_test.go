package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"oras.land/oras-go/v2/registry/remote/auth"
)

func TestScopes(t *testing.T) {
	cases := []struct {
		method, target string
		want           []string
	}{
		{"GET", "/v2/", nil},
		{"GET", "/v2/_catalog?n=1", []string{"registry:catalog:*"}},
		{"HEAD", "/v2/library/alpine/manifests/latest", []string{"repository:library/alpine:pull"}},
		{"OPTIONS", "/v2/library/alpine/manifests/latest", []string{"repository:library/alpine:pull"}},
		{"GET", "/v2/library/alpine/tags/list", []string{"repository:library/alpine:pull"}},
		{"GET", "/v2/a/referrers/sha256:0", []string{"repository:a:pull"}},
		{"POST", "/v2/library/alpine/blobs/uploads/", []string{"repository:library/alpine:pull,push"}},
		{"PATCH", "/v2/library/alpine/blobs/uploads/abc?_state=x", []string{"repository:library/alpine:pull,push"}},
		{"PUT", "/v2/x/manifests/v1", []string{"repository:x:pull,push"}},
		{"DELETE", "/v2/x/blobs/sha256:0", []string{"repository:x:delete"}},
		// A mount needs pull on the source too.
		{"POST", "/v2/ocicaps/mount-probe/blobs/uploads/?mount=sha256:0&from=library/alpine",
			[]string{"repository:library/alpine:pull", "repository:ocicaps/mount-probe:pull,push"}},
		// A repository whose name holds a route word still splits right.
		{"GET", "/v2/team/blobs/tools/blobs/sha256:0", []string{"repository:team/blobs/tools:pull"}},
		{"GET", "/v2/Bad/manifests/x", nil},
		{"POST", "/v2/a/blobs/uploads/?from=Not_Valid", []string{"repository:a:pull,push"}},
	}
	for _, tc := range cases {
		u, _ := url.Parse(tc.target)
		if got := Scopes(tc.method, u); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %s: %q, want %q", tc.method, tc.target, got, tc.want)
		}
	}
}

// basicRegistry challenges with Basic until it gets alice:secret, and
// records the bodies it receives.
func basicRegistry(t *testing.T, bodies *[]string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		*bodies = append(*bodies, string(b))
		if u, p, ok := r.BasicAuth(); !ok || u != "alice" || p != "secret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(401)
			io.WriteString(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`)
			return
		}
		w.WriteHeader(201)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestBasicChallengeResendsTheBody(t *testing.T) {
	var bodies []string
	srv := basicRegistry(t, &bodies)
	u, _ := url.Parse(srv.URL)
	c, _ := New(srv.URL, Options{Credential: auth.StaticCredential(u.Host, auth.Credential{Username: "alice", Password: "secret"})})
	resp, ex, err := c.Do(context.Background(), Request{Method: "PUT", Target: "/v2/x/manifests/v1", Body: []byte("manifest")})
	if err != nil || resp.Status != 201 {
		t.Fatalf("%v %v", resp, err)
	}
	if !reflect.DeepEqual(bodies, []string{"manifest", "manifest"}) {
		t.Errorf("bodies received %q: the resend after the challenge must carry the body", bodies)
	}
	if got := ex.RequestHeaders["Authorization"]; len(got) != 1 || got[0] != "Basic "+Redacted {
		t.Errorf("transcript Authorization %q", got)
	}
	// Basic is cached for the host: the next request needs no challenge.
	bodies = nil
	c.Do(context.Background(), Request{Method: "GET", Target: "/v2/"})
	if len(bodies) != 1 {
		t.Errorf("%d requests for one after a Basic challenge was answered", len(bodies))
	}
}

func TestMissingCredentialsGiveTheChallengeBack(t *testing.T) {
	var bodies []string
	srv := basicRegistry(t, &bodies)
	c, _ := New(srv.URL, Options{Retry: quickRetry(3, time.Millisecond, time.Millisecond)})
	resp, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/"})
	if err != nil || resp.Status != 401 || !strings.Contains(string(resp.Body), "UNAUTHORIZED") {
		t.Fatalf("want the registry's 401 with its body, got %v %v", resp, err)
	}
	if resp.AuthNote != "no credentials are configured to answer its Basic challenge" || ex.Attempts != 1 || len(bodies) != 1 {
		t.Errorf("note %q, %d attempts, %d requests", resp.AuthNote, ex.Attempts, len(bodies))
	}
	if resp.Header.Get("WWW-Authenticate") == "" {
		t.Error("the challenge header was lost")
	}
}

// TestTokenServiceRefusal: a token service that refuses the credentials
// makes the registry's 401 the answer (not an error to retry), and the
// note carries the token service's error code.
func TestTokenServiceRefusal(t *testing.T) {
	var tokenCalls atomic.Int32
	var tokenAuth atomic.Value
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokenCalls.Add(1)
		tokenAuth.Store(r.Header.Get("Authorization"))
		w.WriteHeader(401)
		io.WriteString(w, `{"errors":[{"code":"UNAUTHORIZED","message":"bad password"}]}`)
	}))
	defer tokens.Close()
	reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+tokens.URL+`/token",service="reg"`)
		w.WriteHeader(401)
	}))
	defer reg.Close()
	u, _ := url.Parse(reg.URL)
	c, _ := New(reg.URL, Options{Retry: quickRetry(3, time.Millisecond, time.Millisecond),
		Credential: auth.StaticCredential(u.Host, auth.Credential{Username: "alice", Password: "wrong"})})
	resp, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/x/manifests/latest"})
	if err != nil || resp.Status != 401 {
		t.Fatalf("%v %v", resp, err)
	}
	want := "the token service refused the credentials: GET " + tokens.URL + "/token?scope=repository%3Ax%3Apull&service=reg answered 401 Unauthorized (UNAUTHORIZED: bad password)"
	if resp.AuthNote != want {
		t.Errorf("note:\n %q\nwant\n %q", resp.AuthNote, want)
	}
	if tokenCalls.Load() != 1 || ex.Attempts != 1 {
		t.Errorf("%d token calls, %d attempts: a refusal is an answer, not retried", tokenCalls.Load(), ex.Attempts)
	}
	if a, _ := tokenAuth.Load().(string); !strings.HasPrefix(a, "Basic ") {
		t.Errorf("the token request carried %q, not the Basic credentials", a)
	}
	if len(ex.Auth) != 1 || ex.Auth[0].Status != 401 || ex.Auth[0].RequestHeaders != nil {
		t.Errorf("token exchange recorded as %+v", ex.Auth)
	}
}

// TestRedirectNotFollowedAndLocationRedacted: a 307 on a request that is
// not a blob or manifest read is handed to the steps, not followed, and a
// signature in its Location is redacted in the transcript.
func TestRedirectNotFollowedAndLocationRedacted(t *testing.T) {
	var storageHits atomic.Int32
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { storageHits.Add(1) }))
	defer storage.Close()
	reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, storage.URL+"/b?X-Amz-Signature=s3cr3t&part=1", http.StatusTemporaryRedirect)
	}))
	defer reg.Close()
	c, _ := New(reg.URL, Options{})
	resp, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/x/tags/list"})
	if err != nil || resp.Status != 307 || storageHits.Load() != 0 {
		t.Fatalf("%v %v, storage hits %d", resp, err, storageHits.Load())
	}
	loc := ex.ResponseHeaders["Location"][0]
	if strings.Contains(loc, "s3cr3t") || !strings.Contains(loc, "part=1") {
		t.Errorf("Location in the transcript: %q", loc)
	}
	if resp.Header.Get("Location") != storage.URL+"/b?X-Amz-Signature=s3cr3t&part=1" {
		t.Error("the steps must still get the real Location")
	}
}
