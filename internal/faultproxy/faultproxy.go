// Package faultproxy is a test helper: a reverse proxy placed in front of a
// real registry that injects the faults remote registries show in nightly
// CI — 503 and 429 answers with Retry-After, reset connections, added
// latency, bodies that stall — so tests can check that ocicaps' verdicts
// survive them, or turn into clear errors when they cannot be survived.
package faultproxy

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Fault is what the proxy does to one request.
type Fault int

const (
	None Fault = iota
	// Unavailable answers 503 with Retry-After: 0, without forwarding.
	Unavailable
	// RateLimited answers 429 with Retry-After as an HTTP-date one second
	// ahead, without forwarding.
	RateLimited
	// Reset closes the connection without an answer, without forwarding.
	Reset
	// StallBody forwards, sends the headers and half the body, then stops
	// sending until the client gives up.
	StallBody
	// BadGateway answers 502 without forwarding.
	BadGateway
	// Hang forwards nothing and answers nothing until the client gives up.
	Hang
)

func (f Fault) String() string {
	return [...]string{"none", "503", "429", "reset", "stalled body", "502", "hang"}[f]
}

// upstream carries every proxy's requests to its registry. Go's default
// transport keeps only two idle connections per host, so proxies sharing a
// registry under load (the fleet benchmark puts 20 in front of each) would
// open a new connection for most requests and measure connection churn
// instead of the registry.
var upstream = &http.Transport{
	Proxy:               nil, // loopback targets; never an environment proxy
	MaxIdleConns:        1000,
	MaxIdleConnsPerHost: 200,
	IdleConnTimeout:     90 * time.Second,
}

// Rule decides the fault for a request. n counts requests from 1.
type Rule func(r *http.Request, n int) Fault

// Proxy is a running fault-injecting proxy.
type Proxy struct {
	URL     string
	srv     *httptest.Server
	target  *url.URL
	rule    Rule
	latency time.Duration

	mu     sync.Mutex
	n      int
	counts map[Fault]int
}

// New starts a proxy to target (scheme://host:port). latency is added to
// every request before it is answered.
func New(target string, latency time.Duration, rule Rule) (*Proxy, error) {
	t, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("faultproxy: target %q: %w", target, err)
	}
	p := &Proxy{target: t, rule: rule, latency: latency, counts: map[Fault]int{}}
	rp := httputil.NewSingleHostReverseProxy(t)
	rp.Transport = upstream
	rp.ModifyResponse = p.rewriteLocation
	rp.ErrorLog = nil
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.serve(w, r, rp)
	}))
	p.URL = p.srv.URL
	return p, nil
}

// Close stops the proxy; stalled responses are released.
func (p *Proxy) Close() {
	p.srv.CloseClientConnections()
	p.srv.Close()
}

// Counts returns how many requests got each fault, and the total.
func (p *Proxy) Counts() (map[Fault]int, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[Fault]int{}
	for k, v := range p.counts {
		out[k] = v
	}
	return out, p.n
}

func (p *Proxy) serve(w http.ResponseWriter, r *http.Request, rp *httputil.ReverseProxy) {
	p.mu.Lock()
	p.n++
	n := p.n
	f := None
	if p.rule != nil {
		f = p.rule(r, n)
	}
	p.counts[f]++
	p.mu.Unlock()
	if p.latency > 0 {
		select {
		case <-time.After(p.latency):
		case <-r.Context().Done():
			return
		}
	}
	switch f {
	case Unavailable:
		w.Header().Set("Retry-After", "0")
		http.Error(w, "injected 503", http.StatusServiceUnavailable)
	case RateLimited:
		w.Header().Set("Retry-After", time.Now().Add(time.Second).UTC().Format(http.TimeFormat))
		http.Error(w, "injected 429", http.StatusTooManyRequests)
	case BadGateway:
		http.Error(w, "injected 502", http.StatusBadGateway)
	case Reset:
		reset(w)
	case Hang:
		<-r.Context().Done()
	case StallBody:
		rp.ServeHTTP(&staller{ResponseWriter: w, done: r.Context().Done()}, r)
	default:
		rp.ServeHTTP(w, r)
	}
}

// reset closes the client's connection with a TCP RST.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "faultproxy: cannot reset this connection", http.StatusInternalServerError)
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// staller passes the headers and the first half of the body, then blocks
// until the client goes away.
type staller struct {
	http.ResponseWriter
	done    <-chan struct{}
	written int
}

func (s *staller) WriteHeader(code int) {
	s.ResponseWriter.Header().Del("Content-Length")
	s.ResponseWriter.WriteHeader(code)
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *staller) Write(b []byte) (int, error) {
	if s.written == 0 && len(b) > 0 {
		half := max(1, len(b)/2)
		n, _ := s.ResponseWriter.Write(b[:half])
		s.written += n
		if f, ok := s.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
	}
	<-s.done
	return 0, io.ErrClosedPipe
}

// rewriteLocation points Location headers that name the registry at the
// proxy, so that follow-up requests (upload sessions) go through it too.
func (p *Proxy) rewriteLocation(resp *http.Response) error {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil
	}
	prefix := p.target.Scheme + "://" + p.target.Host
	if strings.HasPrefix(loc, prefix) {
		resp.Header.Set("Location", p.URL+strings.TrimPrefix(loc, prefix))
	}
	return nil
}

// Share faults about share of the requests (deterministically, from seed),
// rotating through kinds, but never the same request twice: one retry
// always gets through, so a client that retries at least once should see
// no difference. "The same request" is method and URL over the whole run,
// not "the previous attempt": with scenarios side by side, another
// scenario's identical request can arrive between an attempt and its
// retry, and must not make the retry faultable again.
func Share(share float64, seed uint64, kinds ...Fault) Rule {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	faulted := map[string]bool{}
	i := 0
	return func(r *http.Request, _ int) Fault {
		key := r.Method + " " + r.URL.String()
		if faulted[key] || rng.Float64() >= share {
			return None
		}
		faulted[key] = true
		f := kinds[i%len(kinds)]
		i++
		return f
	}
}

// Always faults every request the match function selects.
func Always(f Fault, match func(*http.Request) bool) Rule {
	return func(r *http.Request, _ int) Fault {
		if match(r) {
			return f
		}
		return None
	}
}
