package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// A POST in flight when the run is interrupted gets its answer (the
// Location of what it opened, for the clean-up); a POST asked for after the
// interrupt is never sent.
func TestPostInFlightAtInterruptGetsItsAnswer(t *testing.T) {
	var posts atomic.Int32
	arrived := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		arrived <- struct{}{}
		time.Sleep(200 * time.Millisecond) // answers after the interrupt
		w.Header().Set("Location", "/v2/a/blobs/uploads/1")
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	c, err := New(srv.URL, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	resp, _, err := c.Do(ctx, Request{Method: http.MethodPost, Target: "/v2/a/blobs/uploads/"})
	if err != nil || resp.Status != http.StatusAccepted || resp.Header.Get("Location") == "" {
		t.Fatalf("POST in flight at the interrupt: %v, %+v", err, resp)
	}
	if _, _, err := c.Do(ctx, Request{Method: http.MethodPost, Target: "/v2/a/blobs/uploads/"}); err == nil {
		t.Error("a POST after the interrupt was answered")
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("%d POSTs reached the registry, want 1", n)
	}
}
