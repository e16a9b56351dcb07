package client

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Close closes the connections the client keeps: the server sees each
// one it accepted closed. The wrappers around the transport (transcript,
// auth, rate limit) do not pass CloseIdleConnections on, so without Close
// reaching the transport itself they stayed open for its idle timeout.
func TestCloseClosesConnections(t *testing.T) {
	var mu sync.Mutex
	open := 0
	closed := make(chan struct{}, 16)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		mu.Lock()
		defer mu.Unlock()
		switch s {
		case http.StateNew:
			open++
		case http.StateClosed, http.StateHijacked:
			open--
			closed <- struct{}{}
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := New(srv.URL, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Do(context.Background(), Request{Method: http.MethodGet, Target: "/v2/"}); err != nil {
		t.Fatal(err)
	}
	c.Close()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("the server still holds the connection 10 s after Close")
	}
	mu.Lock()
	defer mu.Unlock()
	if open != 0 {
		t.Errorf("%d connections still open after Close", open)
	}
}
