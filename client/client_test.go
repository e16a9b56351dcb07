package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/retry"
)

func TestRedactHeaders(t *testing.T) {
	h := http.Header{"Authorization": {"Bearer secret"}, "Cookie": {"a=b"}, "Accept": {"x"}}
	got := RedactHeaders(h)
	if got["Authorization"][0] != Redacted || got["Cookie"][0] != Redacted || got["Accept"][0] != "x" {
		t.Errorf("got %v", got)
	}
	if h.Get("Authorization") != "Bearer secret" {
		t.Error("the request's own headers must not change")
	}
}

func TestRedactURL(t *testing.T) {
	u, _ := url.Parse("https://user:pw@s3.example/blob?X-Amz-Signature=abc&access_token=s3cr3t&digest=sha256:1")
	got := RedactURL(u)
	for _, secret := range []string{"pw", "abc", "s3cr3t", "user"} {
		if strings.Contains(got, secret) {
			t.Errorf("%q leaks %q", got, secret)
		}
	}
	if !strings.Contains(got, "digest=sha256%3A1") {
		t.Errorf("non-secret parameter lost: %q", got)
	}
}

func TestBodyLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(make([]byte, 2048))
	}))
	defer srv.Close()
	c, err := New(srv.URL, Options{MaxBody: 1024})
	if err != nil {
		t.Fatal(err)
	}
	_, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/"})
	if err == nil || !strings.Contains(err.Error(), "exceeds the read limit") || ex.Error == "" {
		t.Errorf("err %v, exchange %+v", err, ex)
	}
}

func TestRetriesRecordedAndFinalAnswerKept(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		if n < 3 {
			w.WriteHeader(503)
			return
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()
	c, _ := New(srv.URL, Options{Retry: quickRetry(3, time.Millisecond, 2*time.Millisecond)})
	resp, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/"})
	if err != nil || resp.Status != 200 || ex.Attempts != 3 {
		t.Errorf("status %v attempts %d err %v", resp, ex.Attempts, err)
	}
}

func TestAuthorizationNeverInTranscript(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "session=hunter2")
	}))
	defer srv.Close()
	c, _ := New(srv.URL, Options{})
	_, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/", Header: http.Header{"Authorization": {"Basic hunter2"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []map[string][]string{ex.RequestHeaders, ex.ResponseHeaders} {
		for k, vs := range h {
			for _, v := range vs {
				if strings.Contains(v, "hunter2") {
					t.Errorf("header %s leaks the secret", k)
				}
			}
		}
	}
}

func TestRetryPolicy(t *testing.T) {
	cases := []struct {
		status   int
		attempts int
	}{
		{429, 3}, {502, 3}, {503, 3}, {504, 3},
		{500, 1}, {501, 1}, {400, 1}, {401, 1}, {404, 1}, {405, 1},
	}
	for _, tc := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(tc.status) }))
		c, _ := New(srv.URL, Options{Retry: quickRetry(2, time.Millisecond, 2*time.Millisecond)})
		resp, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/"})
		if err != nil || resp.Status != tc.status || ex.Attempts != tc.attempts {
			t.Errorf("status %d: got attempts %d, err %v; want %d attempts and the final answer kept", tc.status, ex.Attempts, err, tc.attempts)
		}
		if tc.attempts > 1 && len(ex.Retries) != tc.attempts-1 {
			t.Errorf("status %d: retries %v", tc.status, ex.Retries)
		}
		srv.Close()
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	for _, mk := range []func() string{
		func() string { return "1" },
		// Dates have whole seconds: two seconds ahead is at least one.
		func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) },
	} {
		ra := mk()
		n := 0
		var first time.Time
		var waited time.Duration
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n++
			if n == 1 {
				first = time.Now()
				w.Header().Set("Retry-After", ra)
				w.WriteHeader(429)
				return
			}
			waited = time.Since(first)
		}))
		c, _ := New(srv.URL, Options{Retry: quickRetry(3, time.Millisecond, 2*time.Millisecond)})
		_, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/"})
		srv.Close()
		if err != nil || ex.Attempts != 2 {
			t.Fatalf("Retry-After %q: attempts %d err %v", ra, ex.Attempts, err)
		}
		// The backoff alone would be a few milliseconds.
		if waited < 500*time.Millisecond {
			t.Errorf("Retry-After %q: retried after %s, sooner than asked", ra, waited)
		}
	}
}

func TestNotRetriedWhenTLSFails(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c, _ := New(srv.URL, Options{Retry: quickRetry(3, time.Millisecond, 2*time.Millisecond)})
	_, ex, err := c.Do(context.Background(), Request{Method: "GET", Target: "/v2/"})
	if err == nil || ex.Attempts != 1 || !strings.Contains(ex.Error, "certificate") {
		t.Errorf("untrusted certificate: attempts %d, error %q", ex.Attempts, ex.Error)
	}
}

// quickRetry is the default policy with max retries and short waits, so
// that retry tests take milliseconds.
func quickRetry(max int, minWait, maxWait time.Duration) *retry.Policy {
	p := retry.Default
	p.Max, p.MinWait, p.MaxWait = max, minWait, maxWait
	return &p
}
