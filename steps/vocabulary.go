// Package steps is the step vocabulary of ocicaps: a small set of general
// HTTP steps, a few OCI helpers, outcome steps and clean-up steps. Every
// capability is written with these in a .feature file; nothing here knows
// about a particular capability.
package steps

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/cucumber/godog"
	"github.com/ocicaps/ocicaps/results"
)

// Def is one step of the vocabulary.
type Def struct {
	Group   string
	Pattern string // anchored regular expression, as godog matches it
	Example string
	Doc     string
	re      *regexp.Regexp
	fn      any
}

// Matches reports whether the step text matches this definition.
func (d *Def) Matches(text string) bool { return d.re.MatchString(text) }

// Groups in the order the reference presents them.
var Groups = []string{"Requests", "Checks", "Saving and recording", "Registry helpers", "Outcomes", "Clean-up"}

var defs []*Def

// Vocabulary returns every step definition, in reference order.
func Vocabulary() []*Def { return defs }

func def(group, pattern, example, doc string, fn any) {
	defs = append(defs, &Def{Group: group, Pattern: pattern, Example: example, Doc: doc, re: regexp.MustCompile(pattern), fn: fn})
}

const headerList = `((?:"[^"]+"(?: or )?)+)`

var quotedRE = regexp.MustCompile(`"([^"]+)"`)

func init() {
	// Requests.
	def("Requests", `^I send an? ([A-Z]+) request to "([^"]*)"$`,
		`I send a POST request to "/v2/{repository}/blobs/uploads/"`,
		"Sends the request (any method) to a path on the registry or to an absolute URL such as a saved Location. Placeholders {name} are replaced by variables. Headers, query parameters and body prepared by the steps below apply to this request only. Transport failures (refused, TLS, timeout after retries) make the scenario an error.",
		func(ctx context.Context, method, target string) error {
			return with(ctx, func(st *state) error { return st.send(ctx, method, target) })
		})
	def("Requests", `^the request header "([^"]+)" is "([^"]*)"$`,
		`the request header "Accept" is "application/vnd.oci.image.index.v1+json"`,
		"Adds a header to the next request (placeholders allowed). Repeat the step to add several.",
		func(ctx context.Context, name, value string) error {
			return with(ctx, func(st *state) error {
				v, err := st.expand(value)
				if err != nil {
					return err
				}
				st.header.Add(name, v)
				return nil
			})
		})
	def("Requests", `^the request query parameter "([^"]+)" is "([^"]*)"$`,
		`the request query parameter "n" is "1"`,
		"Adds a URL-encoded query parameter to the next request (placeholders allowed). Parameters can also be written in the path.",
		func(ctx context.Context, name, value string) error {
			return with(ctx, func(st *state) error {
				v, err := st.expand(value)
				if err != nil {
					return err
				}
				st.query.Add(name, v)
				return nil
			})
		})
	def("Requests", `^the request body is "([^"]*)"$`,
		`the request body is "hello"`,
		"Sets the next request's body to the text (placeholders allowed).",
		func(ctx context.Context, text string) error {
			return with(ctx, func(st *state) error {
				v, err := st.expand(text)
				st.setBody([]byte(v))
				return err
			})
		})
	def("Requests", `^the request body is:$`,
		"the request body is:  (followed by a \"\"\" doc string, e.g. a JSON manifest)",
		"Sets the next request's body to the doc string below the step (placeholders allowed). If the doc string names a media type (\"\"\"application/json) it becomes the Content-Type.",
		func(ctx context.Context, doc *godog.DocString) error {
			return with(ctx, func(st *state) error {
				v, err := st.expand(doc.Content)
				if err != nil {
					return err
				}
				st.setBody([]byte(v))
				if strings.Contains(doc.MediaType, "/") && st.header.Get("Content-Type") == "" {
					st.header.Set("Content-Type", doc.MediaType)
				}
				return nil
			})
		})
	def("Requests", `^the request body is (\d+) random bytes$`,
		`the request body is 1024 random bytes`,
		"Sets the next request's body to fresh random bytes (at most 16 MiB). Every body step saves the body's digest as {bodyDigest}.",
		func(ctx context.Context, n int) error {
			return with(ctx, func(st *state) error {
				if n < 0 || n > 16<<20 {
					return fmt.Errorf("random body of %d bytes: choose 0 to 16777216", n)
				}
				b := make([]byte, n)
				if _, err := rand.Read(b); err != nil {
					return fmt.Errorf("random body: %w", err)
				}
				st.setBody(b)
				return nil
			})
		})
	def("Requests", `^the request body is the saved body "([^"]+)"$`,
		`the request body is the saved body "layer"`,
		"Sets the next request's body to a response body saved earlier with \"I save the response body as …\".",
		func(ctx context.Context, name string) error {
			return with(ctx, func(st *state) error {
				b, ok := st.saved[name]
				if !ok {
					return fmt.Errorf("no saved body %q: save one first with: I save the response body as %q", name, name)
				}
				st.setBody(b)
				return nil
			})
		})

	// Checks: each condition is also a step; a failed check is an error,
	// because the scenario cannot go on meaningfully.
	for _, c := range conditions {
		c := c
		check := func(ctx context.Context, args ...string) error {
			return with(ctx, func(st *state) error {
				ok, obs, err := evalAll(st, []boundCondition{{c, args, ""}})
				if err != nil {
					return err
				}
				if !ok {
					return fmt.Errorf("check failed: %s", obs)
				}
				return nil
			})
		}
		// godog matches handler arity to the pattern's groups.
		var fn any
		switch regexp.MustCompile(c.pattern).NumSubexp() {
		case 0:
			fn = func(ctx context.Context) error { return check(ctx) }
		case 1:
			fn = func(ctx context.Context, a string) error { return check(ctx, a) }
		case 2:
			fn = func(ctx context.Context, a, b string) error { return check(ctx, a, b) }
		default:
			fn = func(ctx context.Context, a, b, c string) error { return check(ctx, a, b, c) }
		}
		def("Checks", "^"+c.pattern+"$", c.example, c.doc+" Fails the scenario (as an error) when it does not hold.", fn)
	}

	// Saving and recording.
	def("Saving and recording", `^I save the response header `+headerList+` as "([^"]+)"$`,
		`I save the response header "Location" as "location"`,
		"Saves the header's value as a variable. With several headers joined by \"or\", the first present wins. A missing header is an error.",
		func(ctx context.Context, names, v string) error {
			return with(ctx, func(st *state) error {
				val, name, ok, err := firstHeader(st, names)
				if err != nil {
					return err
				}
				if !ok {
					return fmt.Errorf("the response has no %s header", strings.Join(headerNames(names), " or "))
				}
				_ = name
				st.vars[v] = val
				return nil
			})
		})
	def("Saving and recording", `^I record the response header `+headerList+` as "([^"]+)"$`,
		`I record the response header "OCI-Distribution-API-Version" or "Docker-Distribution-API-Version" as "distribution version"`,
		"Like saving, and also shows the value in every report as a fact of the capability. A missing header records nothing and is not an error. The fact \"distribution version\" also fills the registry's distribution version.",
		func(ctx context.Context, names, v string) error {
			return with(ctx, func(st *state) error {
				val, name, ok, err := firstHeader(st, names)
				if err != nil || !ok {
					return err
				}
				st.vars[v] = val
				st.record(v, val)
				st.record(v+" header", name)
				return nil
			})
		})
	def("Saving and recording", `^I save the JSON field "([^"]+)" as "([^"]+)"$`,
		`I save the JSON field "layers[0].digest" as "blob"`,
		"Saves a field of the JSON response body (dotted path, [n] for list items) as a variable. A missing field is an error.",
		func(ctx context.Context, path, v string) error {
			return with(ctx, func(st *state) error {
				r, err := st.response()
				if err != nil {
					return err
				}
				val, ok, err := jsonField(r.Body, path)
				if err != nil {
					return fmt.Errorf("the response body is not JSON (%s): %w", bodyGist(r), err)
				}
				if !ok {
					return fmt.Errorf("the JSON response has no field %s", path)
				}
				st.vars[v] = val
				return nil
			})
		})
	def("Saving and recording", `^I save the digest of the response body as "([^"]+)"$`,
		`I save the digest of the response body as "manifestDigest"`,
		"Saves sha256:<hex> of the response body as a variable.",
		func(ctx context.Context, v string) error {
			return with(ctx, func(st *state) error {
				r, err := st.response()
				if err != nil {
					return err
				}
				st.vars[v] = digestOf(r.Body)
				return nil
			})
		})
	def("Saving and recording", `^I save the response body as "([^"]+)"$`,
		`I save the response body as "layer"`,
		"Keeps the response body's bytes for a later request body (\"the request body is the saved body …\").",
		func(ctx context.Context, v string) error {
			return with(ctx, func(st *state) error {
				r, err := st.response()
				if err != nil {
					return err
				}
				st.saved[v] = append([]byte(nil), r.Body...)
				return nil
			})
		})
	def("Saving and recording", `^I save "([^"]*)" as "([^"]+)"$`,
		`I save "{repository}-copy" as "target"`,
		"Saves a text (placeholders allowed) as a variable.",
		func(ctx context.Context, text, v string) error {
			return with(ctx, func(st *state) error {
				val, err := st.expand(text)
				st.vars[v] = val
				return err
			})
		})
	def("Saving and recording", `^I record "([^"]*)" as "([^"]+)"$`,
		`I record "{subject}" as "subject digest"`,
		"Shows a text (placeholders allowed) in every report as a fact of the capability.",
		func(ctx context.Context, text, v string) error {
			return with(ctx, func(st *state) error {
				val, err := st.expand(text)
				if err != nil {
					return err
				}
				st.record(v, val)
				return nil
			})
		})

	// Registry helpers.
	def("Registry helpers", `^I resolve the manifest "([^"]+)" and save its digest as "([^"]+)"$`,
		`I resolve the manifest "{repository}:{tag}" and save its digest as "subject"`,
		"HEAD of the manifest (repository:tag or repository@digest) accepting OCI and Docker manifests and indexes; the digest comes from Docker-Content-Digest, or from the body of a GET when the header is missing. A missing manifest is an error: the test repository must hold it.",
		func(ctx context.Context, ref, v string) error {
			return with(ctx, func(st *state) error {
				d, err := st.resolveManifest(ctx, ref)
				if err != nil {
					return err
				}
				st.vars[v] = d
				return nil
			})
		})
	def("Registry helpers", `^I save a blob digest of the manifest "([^"]+)" as "([^"]+)"$`,
		`I save a blob digest of the manifest "{repository}:{tag}" as "blob"`,
		"GETs the manifest (following an index to its first manifest) and saves the digest of its first layer, or of its config when it has no layers.",
		func(ctx context.Context, ref, v string) error {
			return with(ctx, func(st *state) error {
				d, err := st.blobOfManifest(ctx, ref)
				if err != nil {
					return err
				}
				st.vars[v] = d
				return nil
			})
		})

	// Outcomes.
	def("Outcomes", `^the capability is supported when (.+)$`,
		`the capability is supported when the status is 202`,
		"If the conditions (joined by \"and\") hold, the capability is supported and every later step is passed over. If not, the scenario goes on; when it ends without any \"supported when\" holding, the capability is unsupported and the reason says what was seen. A 401, 403, 429 or 5xx answer (other than 501) that no outcome step names makes the scenario an error, not an answer.",
		func(ctx context.Context, text string) error {
			return with(ctx, func(st *state) error {
				if st.decided {
					return nil
				}
				ok, obs, err := st.judge(text)
				if st.deferNonAnswer(err) {
					return nil
				}
				if err != nil {
					return err
				}
				if ok {
					st.decided = true
					st.evidence = strings.Join(append(st.held, st.requestName()+": "+obs), "; ")
					return nil
				}
				st.supportTried = append(st.supportTried, tried{request: st.requestName(), seen: obs})
				return nil
			})
		})
	def("Outcomes", `^the capability is unsupported when (.+) because "([^"]*)"$`,
		`the capability is unsupported when the status is 404 because "the registry has no referrers API"`,
		"If the conditions hold, the scenario ends here and the capability is unsupported with the reason (placeholders allowed, e.g. {status}).",
		func(ctx context.Context, text, reason string) error {
			return with(ctx, func(st *state) error {
				if st.decided {
					return nil
				}
				ok, _, err := st.judge(text)
				if st.deferNonAnswer(err) {
					return nil
				}
				if err != nil || !ok {
					return err
				}
				return st.markUnsupported(reason)
			})
		})
	def("Outcomes", `^the capability is unsupported unless (.+) because "([^"]*)"$`,
		`the capability is unsupported unless the status is 201 because "the registry refused the push: {answer}"`,
		"If the conditions do not all hold, the scenario ends here and the capability is unsupported with the reason (an empty reason \"\" says what was seen instead); if they hold, the scenario goes on. For scenarios that check several things in turn.",
		func(ctx context.Context, text, reason string) error {
			return with(ctx, func(st *state) error {
				ok, obs, err := st.judge(text)
				if err != nil {
					return err
				}
				if ok {
					st.held = append(st.held, st.requestName()+": "+obs)
					return nil
				}
				if strings.TrimSpace(reason) == "" {
					reason = st.requestName() + ": " + obs
				}
				return st.markUnsupported(reason)
			})
		})
	def("Outcomes", `^otherwise the capability is unsupported because "([^"]*)"$`,
		`otherwise the capability is unsupported because "the registry answered {status}"`,
		"Unless a \"supported when\" held before it, ends the scenario: the capability is unsupported with this reason instead of the generated one.",
		func(ctx context.Context, reason string) error {
			return with(ctx, func(st *state) error {
				if st.decided {
					return nil
				}
				if st.nonAnswer != "" {
					// The answer was no answer: say so rather than
					// "unsupported".
					return errors.New(st.nonAnswer)
				}
				return st.markUnsupported(reason)
			})
		})

	// Clean-up.
	def("Clean-up", `^I delete what the response created when the scenario ends$`,
		`I delete what the response created when the scenario ends`,
		"If the response is 202 with a Location (an upload session) or 201 with a Location (a blob or manifest now stored), a DELETE is sent to that Location when the scenario ends, whatever happened. What cannot be deleted is listed in the report's leftovers. Put it right after the request, before outcome steps that may end the scenario.",
		func(ctx context.Context) error {
			return with(ctx, func(st *state) error {
				r, err := st.response()
				if err != nil {
					return err
				}
				loc := r.Header.Get("Location")
				if loc == "" || (r.Status != http.StatusCreated && r.Status != http.StatusAccepted) {
					return nil
				}
				what := "upload session"
				if r.Status == http.StatusCreated {
					what = "created object"
				}
				// A Location holding {…} must not be taken for a placeholder.
				u, err := st.target.Client.Resolve(loc)
				if err != nil {
					return err
				}
				st.addCleanupURL(what, u.String(), "", "", "")
				return nil
			})
		})
	def("Clean-up", `^I send a DELETE request to "([^"]*)" when the scenario ends$`,
		`I send a DELETE request to "{location}" when the scenario ends`,
		"Registers a DELETE sent when the scenario ends, whatever happened (placeholders are filled in now). Clean-ups run last registered first; the same URL is deleted once.",
		func(ctx context.Context, target string) error {
			return with(ctx, func(st *state) error { return st.addCleanup("object", target) })
		})
	def("Clean-up", `^I send a DELETE request to "([^"]*)" when the scenario ends, if (.+)$`,
		`I send a DELETE request to "/v2/{mountRepository}/blobs/{bodyDigest}" when the scenario ends, if the status is 201`,
		"Like the step above, but only if the conditions hold for the current response, so that a registry that created nothing is not asked to delete it.",
		func(ctx context.Context, target, text string) error {
			return with(ctx, func(st *state) error {
				conds, err := parseConditions(text)
				if err != nil {
					return err
				}
				r, err := st.response()
				if err != nil {
					return nil // no answer, nothing created
				}
				for _, bc := range conds {
					ok, _, err := bc.c.eval(st, r, bc.args)
					if err != nil {
						return err
					}
					if !ok {
						return nil
					}
				}
				return st.addCleanup("object", target)
			})
		})
}

// addCleanup registers a DELETE of target (a path or URL, placeholders
// allowed) unless the same URL is already registered.
func (st *state) addCleanup(what, target string) error {
	t, err := st.expand(target)
	if err != nil {
		return err
	}
	u, err := st.target.Client.Resolve(t)
	if err != nil {
		return err
	}
	st.addCleanupURL(what, u.String(), "", "", "")
	return nil
}

// judge parses an outcome step's conditions and evaluates them against the
// current response.
func (st *state) judge(text string) (bool, string, error) {
	conds, err := parseConditions(text)
	if err != nil {
		return false, "", err
	}
	return evalAll(st, conds)
}

// with runs fn on the scenario's state, unless a "supported when" has
// already decided the scenario: then every later step is passed over.
func with(ctx context.Context, fn func(*state) error) error {
	st, err := stateOf(ctx)
	if err != nil {
		return err
	}
	if st.decided {
		return nil
	}
	return fn(st)
}

// errUnsupported wraps godog.ErrSkip so that godog stops the scenario.
type errUnsupported struct{ reason string }

func (e *errUnsupported) Error() string { return "unsupported: " + e.reason }
func (e *errUnsupported) Unwrap() error { return godog.ErrSkip }

func (st *state) markUnsupported(reason string) error {
	r, err := st.expand(reason)
	if err != nil {
		return err
	}
	st.unsupported = r
	return &errUnsupported{reason: r}
}

// setBody sets the next request's body and saves its digest, which blob
// uploads need in ?digest=.
func (st *state) setBody(b []byte) {
	st.body = b
	st.vars["bodyDigest"] = digestOf(b)
}

func (st *state) record(name, value string) {
	for i := range st.facts {
		if st.facts[i].Name == name {
			st.facts[i].Value = value
			return
		}
	}
	st.facts = append(st.facts, results.Fact{Name: name, Value: value})
}

func headerNames(list string) []string {
	var out []string
	for _, m := range quotedRE.FindAllStringSubmatch(list, -1) {
		out = append(out, m[1])
	}
	return out
}

func firstHeader(st *state, list string) (val, name string, ok bool, err error) {
	r, err := st.response()
	if err != nil {
		return "", "", false, err
	}
	for _, h := range headerNames(list) {
		if v, present := headerValue(r, h); present {
			return v, h, true, nil
		}
	}
	return "", "", false, nil
}

func digestOf(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// splitRef splits repository:tag or repository@digest.
func splitRef(ref string) (repo, reference string, err error) {
	if i := strings.LastIndex(ref, "@"); i > 0 {
		return ref[:i], ref[i+1:], nil
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") && i > 0 {
		return ref[:i], ref[i+1:], nil
	}
	return "", "", fmt.Errorf("manifest reference %q: write repository:tag or repository@digest", ref)
}

func (st *state) resolveManifest(ctx context.Context, ref string) (string, error) {
	ref, err := st.expand(ref)
	if err != nil {
		return "", err
	}
	repo, reference, err := splitRef(ref)
	if err != nil {
		return "", err
	}
	path := "/v2/" + repo + "/manifests/" + reference
	st.header.Set("Accept", manifestAcceptTypes)
	if err := st.send(ctx, http.MethodHead, path); err != nil {
		return "", err
	}
	if st.last.Status == http.StatusOK {
		if d := st.last.Header.Get("Docker-Content-Digest"); d != "" {
			return d, nil
		}
	}
	// Some registries omit the digest header on HEAD or refuse HEAD: GET
	// the manifest and hash it.
	st.header.Set("Accept", manifestAcceptTypes)
	if err := st.send(ctx, http.MethodGet, path); err != nil {
		return "", err
	}
	if st.last.Status != http.StatusOK {
		return "", missingManifest(ref, st.last.Status, describeStatus(st.last))
	}
	if d := st.last.Header.Get("Docker-Content-Digest"); d != "" {
		return d, nil
	}
	return digestOf(st.last.Body), nil
}

func missingManifest(ref string, status int, desc string) error {
	if status == http.StatusNotFound {
		return fmt.Errorf("the manifest %s is not there (%s): push an image to the test repository or set testRepository/testTag in the configuration", ref, desc)
	}
	return fmt.Errorf("fetching the manifest %s answered %s", ref, desc)
}

func (st *state) blobOfManifest(ctx context.Context, ref string) (string, error) {
	ref, err := st.expand(ref)
	if err != nil {
		return "", err
	}
	repo, reference, err := splitRef(ref)
	if err != nil {
		return "", err
	}
	for hop := 0; hop < 2; hop++ {
		st.header.Set("Accept", manifestAcceptTypes)
		if err := st.send(ctx, http.MethodGet, "/v2/"+repo+"/manifests/"+reference); err != nil {
			return "", err
		}
		if st.last.Status != http.StatusOK {
			return "", missingManifest(repo+":"+reference, st.last.Status, describeStatus(st.last))
		}
		var m struct {
			Manifests []struct {
				Digest string `json:"digest"`
			} `json:"manifests"`
			Config struct {
				Digest string `json:"digest"`
			} `json:"config"`
			Layers []struct {
				Digest string `json:"digest"`
			} `json:"layers"`
		}
		if err := json.Unmarshal(st.last.Body, &m); err != nil {
			return "", fmt.Errorf("the manifest %s is not JSON: %w", ref, err)
		}
		switch {
		case len(m.Layers) > 0 && m.Layers[0].Digest != "":
			return m.Layers[0].Digest, nil
		case m.Config.Digest != "":
			return m.Config.Digest, nil
		case len(m.Manifests) > 0 && m.Manifests[0].Digest != "":
			reference = m.Manifests[0].Digest
		default:
			return "", fmt.Errorf("the manifest %s names no blob", ref)
		}
	}
	return "", errors.New("the index " + ref + " points to another index: give a platform manifest as the test tag")
}
