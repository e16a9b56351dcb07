// Package proxysink is the proxy every client program runs behind (ocicaps
// run --clients): it listens on loopback, answers nothing (a CONNECT is
// refused, a proxied request gets 502 Bad Gateway), and records what was
// asked, so that no client reaches the internet and what it tried to
// reach is evidence ("cosign tried to reach tuf-repo-cdn.sigstore.dev:443").
package proxysink

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// MaxRecorded bounds the distinct targets kept: a client that tries a
// thousand hosts is told by the first ones.
const MaxRecorded = 32

// MaxTarget bounds each target recorded, in bytes: a Host header is the
// client's to write, and a report must not carry megabytes of it.
const MaxTarget = 256

// Sink is a running proxy that answers nothing.
type Sink struct {
	srv  *http.Server
	ln   net.Listener
	mu   sync.Mutex
	seen []string
	set  map[string]bool
	done chan struct{}
}

// Start listens on a loopback port of its own.
func Start() (*Sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Sink{ln: ln, set: map[string]bool{}, done: make(chan struct{})}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return
		}
	}()
	return s, nil
}

// URL is the proxy's address, for HTTP_PROXY and HTTPS_PROXY.
func (s *Sink) URL() string { return "http://" + s.ln.Addr().String() }

// serve records the target and refuses it.
func (s *Sink) serve(w http.ResponseWriter, r *http.Request) {
	target := r.Host
	if r.Method != http.MethodConnect && r.URL != nil && r.URL.Host != "" {
		target = r.URL.Host
	}
	s.record(r.Method + " " + target)
	w.Header().Set("Connection", "close")
	http.Error(w, "ocicaps: this proxy answers nothing; a client under test must not reach "+target, http.StatusBadGateway)
}

func (s *Sink) record(what string) {
	if len(what) > MaxTarget {
		what = strings.ToValidUTF8(what[:MaxTarget], "")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set[what] || len(s.seen) >= MaxRecorded {
		return
	}
	s.set[what] = true
	s.seen = append(s.seen, what)
}

// Drain returns what was asked since the last Drain ("CONNECT
// host:port", "GET host:port"), each once, in the order first asked.
func (s *Sink) Drain() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.seen
	s.seen, s.set = nil, map[string]bool{}
	return out
}

// Close stops the proxy.
func (s *Sink) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = s.srv.Close()
	}
	<-s.done
	return err
}
