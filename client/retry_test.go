package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/retry"
)

// A policy is taken as written: Max 0 is one attempt, Max 2 three; no
// policy at all is retry.Default (3 retries). The server always
// answers 503, which is retried.
func TestRetryPolicyTakenAsWritten(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	fast := func(max int) *retry.Policy { return &retry.Policy{Max: max, MaxRetryAfter: time.Second} }
	cases := []struct {
		name     string
		policy   *retry.Policy
		attempts int
	}{
		{"no retries", fast(0), 1},
		{"two retries", fast(2), 3},
		{"nil is the default", nil, retry.Default.Max + 1},
	}
	for _, c := range cases {
		n.Store(0)
		opt := Options{Retry: c.policy}
		if c.policy == nil {
			// The default's waits, 200 ms and up, would only slow the
			// test; Max is what is checked, so New must read it from
			// retry.Default.
			saved := retry.Default
			retry.Default.MinWait, retry.Default.MaxWait = 0, 0
			defer func() { retry.Default = saved }()
		}
		cl, err := New(srv.URL, opt)
		if err != nil {
			t.Fatal(err)
		}
		resp, ex, err := cl.Do(context.Background(), Request{Method: http.MethodGet, Target: "/v2/"})
		if err != nil || resp.Status != http.StatusServiceUnavailable {
			t.Fatalf("%s: %v %v", c.name, resp, err)
		}
		if ex.Attempts != c.attempts || int(n.Load()) != c.attempts {
			t.Errorf("%s: %d attempts recorded, %d received, want %d", c.name, ex.Attempts, n.Load(), c.attempts)
		}
	}
}
