package steps

import (
	"context"
	"errors"
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
	// Scratch is the repository verify scenarios write to (empty in probe
	// mode); {scratch2} is Scratch + "-mount".
	Scratch string
	// Credentials names what the client presents to the registry, for
	// the {credentials} variable: "none", or a description without
	// secrets ("username alice, password from $VAR").
	Credentials string

	shared shared // answers the registry's scenarios share (shared.go)
}

// Outcome is what one scenario found out, handed to the runner when the
// scenario ends.
type Outcome struct {
	Status    results.Status
	Reason    string
	Facts     []results.Fact
	Exchanges []results.Exchange
	Leftovers []results.Leftover
	// Deviations are what "the registry deviates from …" steps recorded;
	// each Evidence.Exchange indexes Exchanges (the runner shifts it to
	// the capability's list).
	Deviations []results.Deviation
	Duration   time.Duration
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
	lastEx    int // index in exchanges of the request that answered last
	exchanges []results.Exchange
	facts     []results.Fact
	cleanups  []cleanup
	leftovers []results.Leftover
	// deviations recorded by "the registry deviates from …" steps.
	deviations []results.Deviation
	// received is every response of the scenario so far, clean-ups aside,
	// for the conditions about every response ("every response header …").
	received []received

	// Outcome bookkeeping.
	failed      error    // first failed step
	unsupported string   // reason given by an "unsupported" outcome step
	decided     bool     // a "supported when" outcome held: later steps are passed over
	evidence    string   // what held, for a supported verdict
	held        []string // "unsupported unless" conditions that held, for the evidence
	// nonAnswer is set when an outcome step met a non-answer status that it
	// did not name; unless a later one names it, the scenario is an error.
	nonAnswer    string
	supportTried []tried
}

// received is one response of the scenario: the index of its exchange and
// the response, its body kept only for an error answer (describeStatus
// names its code), so that big blob and manifest bodies are not held.
type received struct {
	ex   int
	resp *client.Response
}

func keepReceived(ex int, r *client.Response) received {
	cp := *r
	if cp.Status < 400 {
		cp.Body = nil
	}
	return received{ex: ex, resp: &cp}
}

// tried is a "supported when" that did not hold: which request, and what
// was seen instead.
type tried struct{ request, seen string }

type cleanup struct {
	what   string // "upload session", "blob", ... for the leftover list
	method string
	target string
	// What an operator needs to remove a leftover by hand.
	repository, digest, tag string
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
	st := &state{
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
	if t.Scratch != "" {
		st.vars["scratch"] = t.Scratch
		st.vars["scratch2"] = t.Scratch + "-mount"
		// Verify mode writes only to its scratch repositories, the probes'
		// mount target included.
		st.vars["mountRepository"] = st.vars["scratch2"]
	}
	return st
}

var digestInPathRE = regexp.MustCompile(`(sha256:[0-9a-f]{12})[0-9a-f]{52}`)

// requestName names the current request for a reason: method and path,
// with digests shortened.
func (st *state) requestName() string {
	if st.last == nil {
		return methodOf(st)
	}
	return methodOf(st) + " " + digestInPathRE.ReplaceAllString(st.last.URL.Path, "$1…")
}

// Variable documents a built-in variable for `ocicaps steps`.
type Variable struct{ Name, Doc string }

// Builtins documents the variables every scenario can use, in reference
// order; scratch and scratch2 exist in verify mode only, bodyDigest after a
// body step.
func Builtins() []Variable {
	return []Variable{
		{"repository", "testRepository of the registry (default library/alpine)"},
		{"tag", "testTag of the registry (default latest)"},
		{"registry", "host[:port] of the registry"},
		{"mountRepository", "mountRepository of the registry (default <namespace of testRepository>/ocicaps-mount-probe): where probes may write; {scratch2} in verify mode"},
		{"scratch", "verify mode only: the run's scratch repository (scratchRepository, or <namespace of testRepository>/ocicaps-verify-<run id>)"},
		{"scratch2", "verify mode only: a second scratch repository, {scratch}-mount"},
		{"credentials", `what is presented to the registry, never the secret: "none" (nothing configured; "none: …" when the Docker config has no entry for it), "username alice, password from $VAR", "identity token from $VAR", "username alice from Docker config PATH"`},
		{"status", "status code of the last response"},
		{"answer", "the last response's status with the registry's error code and, for 401/403, what was presented (e.g. 401 Unauthorized (UNAUTHORIZED: authentication required); no credentials are configured to answer its Basic challenge)"},
		{"bodyDigest", "sha256 digest of the last request body set by a body step"},
	}
}

var placeholderRE = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9_.-]*)\}`)

// expand replaces {name} with the value of variable name. An unknown name is
// an error: a silent empty string would send a request to the wrong path.
func (st *state) expand(s string) (string, error) {
	if err := st.checkExpandedSize(s); err != nil {
		return "", err
	}
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
		if missing[0] == "scratch" || missing[0] == "scratch2" {
			return "", fmt.Errorf("{%s} exists only in verify mode (ocicaps run --verify, or mode: verify in registries.yaml); tag the scenario @verify", missing[0])
		}
		names := make([]string, 0, len(st.vars))
		for k := range st.vars {
			names = append(names, k)
		}
		sort.Strings(names)
		if c := config.Closest(missing[0], names); c != "" {
			return "", fmt.Errorf("unknown variable {%s} in %q: did you mean {%s}?", missing[0], s, c)
		}
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
	resp, ex, err := st.do(ctx, req)
	st.exchanges = append(st.exchanges, ex)
	if err != nil {
		st.last = nil
		return err
	}
	st.last, st.lastEx = resp, len(st.exchanges)-1
	st.received = append(st.received, keepReceived(st.lastEx, resp))
	if method == http.MethodPut && resp.Status == http.StatusCreated {
		// The PUT closed an upload session: cancelling it later would only
		// draw an error from registries that cannot tell (crane).
		for i := len(st.cleanups) - 1; i >= 0; i-- {
			if c := st.cleanups[i]; c.what == "upload session" && samePath(c.target, resp.URL) {
				st.cleanups = append(st.cleanups[:i], st.cleanups[i+1:]...)
			}
		}
	}
	return nil
}

func samePath(target string, u *url.URL) bool {
	t, err := url.Parse(target)
	return err == nil && t.Host == u.Host && t.Path == u.Path
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
		st.runCleanup(ctx, st.cleanups[i])
	}
	st.cleanups = nil
}

// runCleanup sends one clean-up request and records what it left.
func (st *state) runCleanup(ctx context.Context, c cleanup) {
	req := client.Request{Method: c.method, Target: c.target, Cleanup: true}
	resp, ex, err := st.target.Client.Do(ctx, req)
	st.exchanges = append(st.exchanges, ex)
	left := results.Leftover{What: c.what, URL: ex.URL, Repository: c.repository, Digest: c.digest, Tag: c.tag}
	switch {
	case err != nil:
		left.Reason = err.Error()
		st.leftovers = append(st.leftovers, left)
	case resp.Status >= 200 && resp.Status < 300:
		st.target.manifestDeleted(c)
	case resp.Status == http.StatusNotFound || unknownCode(resp):
		// The registry no longer knows the object: nothing is left (of
		// a manifest a scenario deleted itself, perhaps its bytes).
		st.target.manifestDeleted(c)
	case c.what != "upload session" && st.gone(ctx, c):
		// The DELETE failed, but the object is not there (crane answers
		// 500 for a blob it already deleted): nothing is left.
	default:
		left.Reason = "DELETE answered " + describeStatus(resp)
		st.leftovers = append(st.leftovers, left)
	}
}

// unknownCode reports an OCI error code saying the object does not exist
// (BLOB_UNKNOWN, MANIFEST_UNKNOWN, BLOB_UPLOAD_UNKNOWN, …), whatever the
// status the registry chose for it.
func unknownCode(r *client.Response) bool {
	errs, ok := ociErrors(r.Body)
	return ok && strings.HasSuffix(errs[0].Code, "_UNKNOWN") && errs[0].Code != "METHOD_UNKNOWN"
}

// gone asks the registry whether an object whose DELETE failed is still
// there: only a 404 on HEAD says it is not.
func (st *state) gone(ctx context.Context, c cleanup) bool {
	h := http.Header{"Accept": {manifestAcceptTypes}}
	resp, ex, err := st.target.Client.Do(ctx, client.Request{Method: http.MethodHead, Target: c.target, Header: h, Cleanup: true})
	st.exchanges = append(st.exchanges, ex)
	return err == nil && resp.Status == http.StatusNotFound
}

var objectPathRE = regexp.MustCompile(`^/v2/(.+)/(blobs/uploads|blobs|manifests)/([^/]+)$`)

// addCleanupURL registers a DELETE of an absolute URL once. What it is,
// its repository and digest are read from the URL when not given.
func (st *state) addCleanupURL(what, u, repo, digest, tag string) {
	for _, c := range st.cleanups {
		if c.target == u {
			return
		}
	}
	if pu, err := url.Parse(u); err == nil {
		if m := objectPathRE.FindStringSubmatch(pu.Path); m != nil {
			if repo == "" {
				repo = m[1]
			}
			kind := map[string]string{"blobs/uploads": "upload session", "blobs": "blob", "manifests": "manifest"}[m[2]]
			if what == "" || what == "object" || what == "created object" {
				what = kind
			}
			if digest == "" && kind != "upload session" && strings.Contains(m[3], ":") {
				digest = m[3]
			}
			if kind == "manifest" && !strings.Contains(m[3], ":") && tag == "" {
				// A manifest by tag: a leftover names the tag, and the
				// digest the registry gave it when the current response
				// is the push of that tag.
				tag = m[3]
				if what == "manifest" {
					what = "manifest tag"
				}
				if r := st.last; digest == "" && r != nil && r.Status == http.StatusCreated && r.URL != nil && r.URL.Path == pu.Path {
					digest = r.Header.Get("Docker-Content-Digest")
				}
			}
		}
	}
	st.cleanups = append(st.cleanups, cleanup{what: what, method: http.MethodDelete, target: u, repository: repo, digest: digest, tag: tag})
}

func (st *state) dropCleanup(u string) {
	for i, c := range st.cleanups {
		if c.target == u {
			st.cleanups = append(st.cleanups[:i], st.cleanups[i+1:]...)
			return
		}
	}
}

// deferNonAnswer records a non-answer met by an outcome step that offers
// alternatives, so that a later step naming the status can still decide.
func (st *state) deferNonAnswer(err error) bool {
	var na *errNonAnswer
	if !errors.As(err, &na) {
		return false
	}
	if st.nonAnswer == "" {
		st.nonAnswer = na.msg
	}
	return true
}

// outcome turns the scenario's bookkeeping into a verdict.
func (st *state) outcome() Outcome {
	o := Outcome{Facts: st.facts, Exchanges: st.exchanges, Leftovers: st.leftovers, Deviations: st.deviations, Duration: time.Since(st.start)}
	switch {
	case st.failed != nil:
		o.Status, o.Reason = results.Error, st.failed.Error()
	case st.unsupported != "":
		o.Status, o.Reason = results.Unsupported, st.unsupported
	case st.decided:
		o.Status, o.Reason = results.Supported, st.evidence
	case st.nonAnswer != "":
		o.Status, o.Reason = results.Error, st.nonAnswer
	case len(st.supportTried) > 0:
		o.Status = results.Unsupported
		// Each entry says what was seen instead of what a "supported when"
		// asked for; the request is named once per run of entries.
		var parts []string
		prev := ""
		for _, t := range st.supportTried {
			if t.request != prev {
				parts = append(parts, t.request+": "+t.seen)
				prev = t.request
			} else {
				parts = append(parts, t.seen)
			}
		}
		o.Reason = strings.Join(parts, "; and ")
	default:
		// No "supported when" decided: the scenario passed every check;
		// the reason names the ones that held.
		o.Status, o.Reason = results.Supported, strings.Join(st.held, "; ")
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
	if redirect(status) {
		// The client follows no redirect: the answer is elsewhere.
		return true
	}
	return status >= 500 && status != http.StatusNotImplemented
}

// redirect reports a status that sends the client elsewhere.
func redirect(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}
