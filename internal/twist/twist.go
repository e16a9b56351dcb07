// Package twist puts a reverse proxy in front of a real registry that
// changes what the registry answers in one named way (a mode): the lies a
// certificate must not be fooled by (wrong bytes, dropped pushes, endless
// pages, …) and the published quirks of hosted registries (ECR, GHCR, GAR,
// Quay, GitLab, …). Everything else passes through unchanged, so a test
// judges ocicaps on a real registry with exactly one thing wrong.
//
// Modes register themselves by name (register, from an init function in
// the file of their family: lies_*.go, quirks_*.go), so families can be
// added side by side without touching this file.
package twist

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Mode is one way of twisting a registry's answers.
type Mode struct {
	// Name is how tests and the zoo select it ("range-from-zero").
	Name string
	// Doc says in a sentence what the registry then does, and which real
	// registry (with a public reference) behaves so, for quirks.
	Doc string
	// New wraps the honest upstream (a reverse proxy to the real
	// registry) in the mode's behaviour. It is called once per proxy, so
	// a mode keeps its memory (what was pushed, when) in the handler it
	// returns.
	New func(upstream http.Handler) http.Handler
}

var (
	modesMu sync.Mutex
	modes   = map[string]Mode{}
)

// register adds a mode; a name registered twice is a programming error.
func register(m Mode) {
	modesMu.Lock()
	defer modesMu.Unlock()
	if _, dup := modes[m.Name]; dup {
		panic("twist: mode registered twice: " + m.Name)
	}
	modes[m.Name] = m
}

// Modes lists the registered modes, sorted by name.
func Modes() []Mode {
	modesMu.Lock()
	defer modesMu.Unlock()
	out := make([]Mode, 0, len(modes))
	for _, m := range modes {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds a mode by name.
func Lookup(name string) (Mode, bool) {
	modesMu.Lock()
	defer modesMu.Unlock()
	m, ok := modes[name]
	return m, ok
}

func init() {
	register(Mode{
		Name: "honest",
		Doc:  "changes nothing: the registry's own answers, through the proxy",
		New:  func(up http.Handler) http.Handler { return up },
	})
}

// upstreamTransport carries every proxy's requests to its registry; loopback
// targets only, never an environment proxy.
var upstreamTransport = &http.Transport{
	Proxy:               nil,
	MaxIdleConns:        100,
	MaxIdleConnsPerHost: 100,
	IdleConnTimeout:     90 * time.Second,
}

// Proxy is a running twisting proxy.
type Proxy struct {
	URL  string // http://127.0.0.1:PORT
	Mode Mode
	srv  *httptest.Server
}

// Start starts a proxy on a free loopback port in front of target
// (http://127.0.0.1:PORT of a real registry), twisting its answers in the
// named mode.
func Start(target, mode string) (*Proxy, error) {
	m, ok := Lookup(mode)
	if !ok {
		return nil, fmt.Errorf("twist: no mode %q (have %s)", mode, names())
	}
	t, err := url.Parse(target)
	if err != nil || t.Host == "" {
		return nil, fmt.Errorf("twist: target %q is not a URL: %v", target, err)
	}
	if ip := net.ParseIP(t.Hostname()); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("twist: target %q is not a loopback address", target)
	}
	p := &Proxy{Mode: m}
	rp := httputil.NewSingleHostReverseProxy(t)
	rp.Transport = upstreamTransport
	p.srv = httptest.NewServer(m.New(rp))
	p.URL = p.srv.URL
	// The registry's absolute Locations name itself; clients must keep
	// talking to the proxy.
	rp.ModifyResponse = func(r *http.Response) error {
		if loc := r.Header.Get("Location"); strings.HasPrefix(loc, target) {
			r.Header.Set("Location", p.URL+strings.TrimPrefix(loc, target))
		}
		return nil
	}
	return p, nil
}

// Close stops the proxy.
func (p *Proxy) Close() {
	p.srv.CloseClientConnections()
	p.srv.Close()
}

func names() string {
	var out []string
	for _, m := range Modes() {
		out = append(out, m.Name)
	}
	return strings.Join(out, ", ")
}

// Answer is the upstream's whole answer to one request, held so that a
// mode can change it before it is sent (bodies in the zoo are small).
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Forward sends r to the upstream and returns its answer without sending
// anything to the client yet.
func Forward(up http.Handler, r *http.Request) *Answer {
	rec := httptest.NewRecorder()
	up.ServeHTTP(rec, r)
	return &Answer{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// Write sends the answer to the client, with a Content-Length of its
// (possibly changed) body.
func (a *Answer) Write(w http.ResponseWriter) {
	for k, v := range a.Header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", fmt.Sprint(len(a.Body)))
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
}
