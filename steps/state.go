package steps

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
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

	// Programs runs client programs for client workflows (programs.go);
	// nil: no step may run one.
	Programs *Programs

	shared shared   // answers the registry's scenarios share (shared.go)
	writes writeLog // objects written, for reads that lag (consistency.go)
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
	// Workflow is the outcome of a client workflow (a Target with
	// Programs), nil for a capability's scenario.
	Workflow *WorkflowOutcome
}

// state is one scenario's state, made of parts with one job each:
// memory (variables and saved bodies), the request being prepared, the
// transcript of what the requests got, the ledger of clean-ups, and the
// verdict. The parts are embedded, so a step reads st.vars, st.last or
// st.failed whichever part holds it; what spans parts (send, expand, the
// clean-ups, outcome) is a method of state.
//
// The scenarios of one registry run side by side (its concurrency: by
// default its share of the run's scenario budget, up to 64), and each gets a fresh state that only its own steps touch, one
// at a time: a state needs no lock. What scenarios share lives in Target
// (shared.go), behind its own.
type state struct {
	target *Target
	start  time.Time
	memory
	nextRequest
	transcript
	ledger
	verdict
	programState
	workflow
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
		memory: newMemory(map[string]string{
			"repository":      r.TestRepository,
			"tag":             r.TestTag,
			"registry":        r.Host(),
			"mountRepository": r.MountRepository,
			"credentials":     creds,
		}),
		nextRequest: newNextRequest(),
	}
	if t.Scratch != "" {
		st.vars["scratch"] = t.Scratch
		st.vars["scratch2"] = t.Scratch + "-mount"
		// Verify mode writes only to its scratch repositories, the probes'
		// mount target included.
		st.vars["mountRepository"] = st.vars["scratch2"]
	}
	if t.Programs != nil {
		for k, v := range t.Programs.Vars {
			st.vars[k] = v
		}
		// {files} is made on first use (expand, openFiles); the folder is
		// removed when the scenario ends (Register).
	}
	return st
}

var digestInPathRE = regexp.MustCompile(`(sha256:[0-9a-f]{12})[0-9a-f]{52}`)

// requestName names the current request for a reason: method and path,
// with digests shortened.
func (st *state) requestName() string {
	if st.run != nil {
		return "$ " + (&results.Command{Argv: st.run.Argv}).Line()
	}
	if st.last == nil {
		return methodOf(st)
	}
	return methodOf(st) + " " + digestInPathRE.ReplaceAllString(st.last.URL.Path, "$1…") + redirectedTo(st.last)
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
		{"host", "client workflows only: the registry's host[:port] as clients take it"},
		{"plainHTTP", `client workflows only: "true" for a registry reached over http://, else "false"`},
		{"tlsVerify", `client workflows only: "false" when registries.yaml turns certificate verification off (tls: insecureSkipVerify), else "true"`},
		{"caFile", "client workflows only: the CA bundle registries.yaml gives (tls: caFile), else empty"},
		{"files", "client workflows only: the scenario's folder, where programs run and \"I write the file\" writes; removed when the scenario ends"},
		{"exit", "client workflows only: the exit status of the program run last"},
		{"output", "client workflows only: the end of what the program run last wrote, on one line (at most 300 characters)"},
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
		case "files":
			if err := st.openFiles(); err != nil {
				missing = append(missing, name)
				return m
			}
		case "exit", "output":
			if st.run != nil {
				if name == "exit" {
					return strconv.Itoa(st.run.ExitCode)
				}
				return outputGist(st.run.Output)
			}
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
		if missing[0] == "scratch" || missing[0] == "scratch2" {
			return "", fmt.Errorf("{%s} exists only in verify mode (ocicaps run --verify, or mode: verify in registries.yaml); tag the scenario @verify", missing[0])
		}
		if c := config.Closest(missing[0], st.names()); c != "" {
			return "", fmt.Errorf("unknown variable {%s} in %q: did you mean {%s}?", missing[0], s, c)
		}
		return "", fmt.Errorf("unknown variable {%s} in %q: save it in an earlier step (e.g. I save the response header \"Location\" as \"%s\"); known now: %s",
			missing[0], s, missing[0], strings.Join(st.known(), ", "))
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
	resp, ex, err := st.doConsistent(ctx, st.take(method, target))
	st.answered(ex, resp)
	if err != nil {
		return err
	}
	if resp.RedirectRefused != "" {
		return st.refusedRedirect(resp)
	}
	if method == http.MethodPatch && resp.Status == http.StatusAccepted {
		st.followSession(resp)
	}
	if method == http.MethodPut && resp.Status == http.StatusCreated {
		st.sessionClosed(resp.URL)
	}
	return nil
}

// runCleanups sends the registered clean-up requests, last registered first,
// and records what could not be removed. An object whose DELETE failed is
// listed only after a request shows it is still there, once every
// clean-up has run: a later one may have removed it (Distribution 2.8.2
// refuses to delete a tag by name but removes the tags of a manifest
// deleted by digest, which clean-ups do after the tag).
func (st *state) runCleanups(ctx context.Context) {
	var failed []failedCleanup
	for i := len(st.cleanups) - 1; i >= 0; i-- {
		batch := []cleanup{st.cleanups[i]}
		if st.cleanups[i].expand != nil {
			batch = st.expandCleanup(ctx, st.cleanups[i])
		}
		for _, c := range batch {
			if f, ok := st.runCleanup(ctx, c); ok {
				failed = append(failed, f)
			}
		}
	}
	st.cleanups = nil
	for _, f := range failed {
		if f.c.what != "upload session" && st.gone(ctx, f.c) {
			// The DELETE failed, but the object is not there (crane
			// answers 500 for a blob it already deleted): nothing is left.
			continue
		}
		st.leave(f.left)
	}
}

// failedCleanup is a clean-up whose DELETE did not remove the object, and
// the leftover it is unless the object proves gone.
type failedCleanup struct {
	c    cleanup
	left results.Leftover
}

// runCleanup sends one clean-up request; when it did not remove the
// object, it returns the leftover to confirm.
func (st *state) runCleanup(ctx context.Context, c cleanup) (failedCleanup, bool) {
	req := client.Request{Method: c.method, Target: c.target, Cleanup: true}
	resp, ex, err := st.target.Client.Do(ctx, req)
	st.exchanges = append(st.exchanges, ex) // evidence, never the current response
	left := results.Leftover{What: c.what, URL: ex.URL, Repository: c.repository, Digest: c.digest, Tag: c.tag}
	switch {
	case err != nil:
		left.Reason = err.Error()
		// No answer: nothing says whether it is there; listed as it is.
		st.leave(left)
	case resp.Status >= 200 && resp.Status < 300:
		st.target.manifestDeleted(c)
	case resp.Status == http.StatusNotFound || unknownCode(resp):
		// The registry no longer knows the object: nothing is left (of
		// a manifest a scenario deleted itself, perhaps its bytes).
		st.target.manifestDeleted(c)
	default:
		left.Reason = "DELETE answered " + describeStatus(resp)
		return failedCleanup{c: c, left: left}, true
	}
	return failedCleanup{}, false
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
	st.add(cleanup{what: what, method: http.MethodDelete, target: u, repository: repo, digest: digest, tag: tag})
}

// outcome is what the scenario found out: the verdict's status and reason
// with the evidence the other parts hold.
func (st *state) outcome() Outcome {
	status, reason := st.decide()
	o := Outcome{Status: status, Reason: reason, Facts: st.facts, Exchanges: st.exchanges,
		Leftovers: st.leftovers, Deviations: st.deviations, Duration: time.Since(st.start)}
	if st.target.Programs != nil {
		w := st.decideWorkflow()
		o.Workflow = &w
	}
	rateLimited(&o)
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
