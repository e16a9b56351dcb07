package steps

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/results"
)

// Target is the registry a suite runs against, shared by its scenarios.
type Target struct {
	Registry config.Registry
	Client   *client.Client
	// Credentials names what the client presents to the registry, for
	// the {credentials} variable: "none", or a description without
	// secrets ("username alice, password from $VAR").
	Credentials string
}

// Outcome is what one scenario found out, handed to the runner when the
// scenario ends.
type Outcome struct {
	Status    results.Status
	Reason    string
	Facts     []results.Fact
	Exchanges []results.Exchange
	Leftovers []results.Leftover
	Duration  time.Duration
}

// state is the per-scenario state. Scenarios of one registry run one after
// another, and each gets a fresh state, so nothing leaks between them.
type state struct {
	target *Target
	start  time.Time
	vars   map[string]string
	saved  map[string][]byte // response bodies saved for later requests

	// The next request's preparation; reset after each request.
	header http.Header
	query  url.Values
	body   []byte

	last      *client.Response
	exchanges []results.Exchange
	facts     []results.Fact
	cleanups  []cleanup
	leftovers []results.Leftover

	// Outcome bookkeeping.
	failed       error  // first failed step
	unsupported  string // reason given by an "unsupported" outcome step
	decided      bool   // a "supported when" outcome held
	supportTried []string
}

type cleanup struct {
	what   string // "upload session", "blob", ... for the leftover list
	method string
	target string
}

type stateKey struct{}

func withState(ctx context.Context, st *state) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

func stateOf(ctx context.Context) (*state, error) {
	st, ok := ctx.Value(stateKey{}).(*state)
	if !ok {
		return nil, fmt.Errorf("internal error: no scenario state in context")
	}
	return st, nil
}

func newState(t *Target) *state {
	r := t.Registry
	creds := t.Credentials
	if creds == "" {
		creds = "none"
	}
	return &state{
		target: t,
		start:  time.Now(),
		vars: map[string]string{
			"repository":      r.TestRepository,
			"tag":             r.TestTag,
			"registry":        r.Host(),
			"mountRepository": r.MountRepository,
			"credentials":     creds,
		},
		saved:  map[string][]byte{},
		header: http.Header{},
		query:  url.Values{},
	}
}

// builtins are the variables every scenario starts with.
var builtins = []string{"repository", "tag", "registry", "mountRepository", "credentials", "status", "answer"}

// Variable documents a built-in variable for `ocicaps steps`.
type Variable struct{ Name, Doc string }

// Builtins documents the variables every scenario starts with, in the
// order of builtins.
func Builtins() []Variable {
	return []Variable{
		{"repository", "testRepository of the registry (default library/alpine)"},
		{"tag", "testTag of the registry (default latest)"},
		{"registry", "host[:port] of the registry"},
		{"mountRepository", "mountRepository of the registry (default ocicaps/mount-probe)"},
		{"credentials", `what is presented to the registry, never the secret: "none" (nothing configured; "none: …" when the Docker config has no entry for it), "username alice, password from $VAR", "identity token from $VAR", "username alice from Docker config PATH"`},
		{"status", "status code of the last response"},
		{"answer", "the last response's status with the registry's error code and, for 401/403, what was presented (e.g. 401 Unauthorized (UNAUTHORIZED: authentication required); no credentials are configured to answer its Basic challenge)"},
	}
}

var placeholderRE = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9_.-]*)\}`)

// expand replaces {name} with the value of variable name. An unknown name is
// an error: a silent empty string would send a request to the wrong path.
func (st *state) expand(s string) (string, error) {
	var missing []string
	out := placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		switch name {
		case "status", "answer":
			if st.last == nil {
				missing = append(missing, name)
				return m
			}
			if name == "answer" {
				return describeStatus(st.last)
			}
			return strconv.Itoa(st.last.Status)
		}
		v, ok := st.vars[name]
		if !ok {
			missing = append(missing, name)
			return m
		}
		return v
	})
	if len(missing) > 0 {
		var known []string
		for k := range st.vars {
			known = append(known, "{"+k+"}")
		}
		sort.Strings(known)
		return "", fmt.Errorf("unknown variable {%s} in %q: save it in an earlier step (e.g. I save the response header \"Location\" as \"%s\"); known now: %s",
			missing[0], s, missing[0], strings.Join(known, ", "))
	}
	return out, nil
}

// send issues a request with the prepared header, query and body, records
// the exchange and makes the response the current one.
func (st *state) send(ctx context.Context, method, target string) error {
	target, err := st.expand(target)
	if err != nil {
		return err
	}
	if len(st.query) > 0 {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + st.query.Encode()
	}
	req := client.Request{Method: method, Target: target, Header: st.header, Body: st.body}
	st.header, st.query, st.body = http.Header{}, url.Values{}, nil
	resp, ex, err := st.target.Client.Do(ctx, req)
	st.exchanges = append(st.exchanges, ex)
	if err != nil {
		st.last = nil
		return err
	}
	st.last = resp
	return nil
}

func (st *state) response() (*client.Response, error) {
	if st.last == nil {
		return nil, fmt.Errorf("no response yet: send a request first (I send a GET request to \"/v2/\")")
	}
	return st.last, nil
}

// runCleanups sends the registered clean-up requests, last registered first,
// and records what could not be removed.
func (st *state) runCleanups(ctx context.Context) {
	for i := len(st.cleanups) - 1; i >= 0; i-- {
		c := st.cleanups[i]
		req := client.Request{Method: c.method, Target: c.target, Cleanup: true}
		resp, ex, err := st.target.Client.Do(ctx, req)
		st.exchanges = append(st.exchanges, ex)
		switch {
		case err != nil:
			st.leftovers = append(st.leftovers, results.Leftover{What: c.what, URL: ex.URL, Reason: err.Error()})
		case resp.Status >= 200 && resp.Status < 300:
		case resp.Status == http.StatusNotFound:
			// The registry no longer knows the object: nothing is left.
		default:
			st.leftovers = append(st.leftovers, results.Leftover{What: c.what, URL: ex.URL, Reason: "DELETE answered " + describeStatus(resp)})
		}
	}
	st.cleanups = nil
}

// outcome turns the scenario's bookkeeping into a verdict.
func (st *state) outcome() Outcome {
	o := Outcome{Facts: st.facts, Exchanges: st.exchanges, Leftovers: st.leftovers, Duration: time.Since(st.start)}
	switch {
	case st.failed != nil:
		o.Status, o.Reason = results.Error, st.failed.Error()
	case st.unsupported != "":
		o.Status, o.Reason = results.Unsupported, st.unsupported
	case st.decided:
		o.Status = results.Supported
	case len(st.supportTried) > 0:
		o.Status = results.Unsupported
		// Each entry says what was seen instead of what a "supported when"
		// asked for.
		o.Reason = strings.Join(st.supportTried, "; and ")
	default:
		o.Status = results.Supported
	}
	return o
}

// nonAnswer reports statuses that say nothing about a capability: the
// registry refused us (auth, rate limit) or failed. 501 Not Implemented is
// an answer, so it is not among them.
func nonAnswer(status int) bool {
	switch status {
	case 401, 403, 407, 408, 429:
		return true
	}
	return status >= 500 && status != http.StatusNotImplemented
}
