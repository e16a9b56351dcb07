package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/retry"
)

// slow is a rate no test waits for: a request beyond the burst would wait
// far past the test's context deadline, and golang.org/x/time/rate then
// refuses at once, so the tests count turns without timing anything.
const slow = 0.0001

// bearerRegistry challenges for a token from its own token service, and
// counts what each got.
func bearerRegistry(t *testing.T) (reg *httptest.Server, regHits, tokenHits *atomic.Int32) {
	regHits, tokenHits = &atomic.Int32{}, &atomic.Int32{}
	tokens := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokenHits.Add(1)
		io.WriteString(w, `{"token":"tok-123456"}`)
	}))
	t.Cleanup(tokens.Close)
	reg = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		regHits.Add(1)
		if r.Header.Get("Authorization") != "Bearer tok-123456" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+tokens.URL+`/token",service="reg"`)
			w.WriteHeader(401)
			return
		}
		io.WriteString(w, "{}")
	}))
	t.Cleanup(reg.Close)
	return reg, regHits, tokenHits
}

func deadline(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// TestRateLimitCountsTokenRequests: the challenge, the token request and
// the resend are three turns; with a burst of three they pass, the next
// request has no turn left, and with a burst of two the token request
// (the second turn) leaves none for the resend.
func TestRateLimitCountsTokenRequests(t *testing.T) {
	reg, regHits, tokenHits := bearerRegistry(t)
	c, err := New(reg.URL, Options{Retry: &retry.Policy{}, RateLimit: RateLimit{RequestsPerSecond: slow, Burst: 3}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	resp, _, err := c.Do(deadline(t), Request{Method: "GET", Target: "/v2/x/manifests/latest"})
	if err != nil || resp.Status != 200 || regHits.Load() != 2 || tokenHits.Load() != 1 {
		t.Fatalf("first request: %v %v, registry %d, token %d", resp, err, regHits.Load(), tokenHits.Load())
	}
	_, ex, err := c.Do(deadline(t), Request{Method: "GET", Target: "/v2/x/manifests/latest"})
	if err == nil || !strings.Contains(ex.Error, "rateLimit") || regHits.Load() != 2 {
		t.Fatalf("a fourth turn was granted: %v, %q, registry %d", err, ex.Error, regHits.Load())
	}

	reg2, regHits2, tokenHits2 := bearerRegistry(t)
	c2, err := New(reg2.URL, Options{Retry: &retry.Policy{}, RateLimit: RateLimit{RequestsPerSecond: slow, Burst: 2}})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, _, err := c2.Do(deadline(t), Request{Method: "GET", Target: "/v2/x/manifests/latest"}); err == nil {
		t.Fatal("three requests in a burst of two: the token request was not counted")
	}
	if regHits2.Load() != 1 || tokenHits2.Load() != 1 {
		t.Errorf("registry %d, token %d; want 1 and 1", regHits2.Load(), tokenHits2.Load())
	}
}

// TestRateLimitCountsRedirectHops: a hop to storage takes a turn too.
func TestRateLimitCountsRedirectHops(t *testing.T) {
	storage := newStorage(t, nil)
	reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, storage.URL+"/b", http.StatusTemporaryRedirect)
	}))
	defer reg.Close()
	c, err := New(reg.URL, Options{Retry: &retry.Policy{}, RateLimit: RateLimit{RequestsPerSecond: slow, Burst: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, _, err := c.Do(deadline(t), Request{Method: "GET", Target: "/v2/x/blobs/sha256:0"}); err == nil || storage.hits.Load() != 0 {
		t.Fatalf("the hop went out without a turn: %v, storage hits %d", err, storage.hits.Load())
	}
}

// TestNoRateLimitByDefault: without a limit nothing waits or refuses.
func TestNoRateLimitByDefault(t *testing.T) {
	reg, _, _ := bearerRegistry(t)
	c, err := New(reg.URL, Options{Retry: &retry.Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for range 20 {
		if resp, _, err := c.Do(deadline(t), Request{Method: "GET", Target: "/v2/x/manifests/latest"}); err != nil || resp.Status != 200 {
			t.Fatalf("%v %v", resp, err)
		}
	}
}

// TestRateLimitedCounted: every 429, retried ones included, is counted;
// the final answer is the 429.
func TestRateLimitedCounted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	c, err := New(srv.URL, Options{Retry: &retry.Policy{Max: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	resp, ex, err := c.Do(deadline(t), Request{Method: "GET", Target: "/v2/"})
	if err != nil || resp.Status != 429 || ex.Attempts != 3 || c.RateLimited() != 3 {
		t.Fatalf("%v %v attempts %d, counted %d", resp, err, ex.Attempts, c.RateLimited())
	}
}
