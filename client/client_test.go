package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
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
	c, _ := New(srv.URL, Options{RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond})
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
