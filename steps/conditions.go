package steps

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/steps/jsonpath"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// A condition is a statement about the current response. Conditions are
// both steps of their own ("Then the status is 202": a failed check is an
// error) and the clauses of outcome steps ("the capability is supported when
// the status is 202 and …").
type condition struct {
	pattern string
	re      *regexp.Regexp
	prefix  string // the literal start of every match: a cheap first test
	example string
	doc     string
	// eval returns whether the condition holds and what was observed, in
	// words, for the reason of a verdict: on an HTTP response.
	eval func(st *state, resp *client.Response, args []string) (bool, string, error)
	// kinds are the kinds of observation (observation.go) the condition
	// judges; zero means an HTTP response only. A condition that judges
	// more has judge, which reads the observation through its interface
	// (and then eval is judge on an HTTP response).
	kinds observationKind
	judge func(st *state, o observation, args []string) (bool, string, error)
	// statuses lists the statuses a condition names explicitly; any other
	// status that is a non-answer (401, 429, 5xx…) makes it an error.
	statuses func(args []string) []int
	// variable marks conditions about a variable, not the response: they
	// hold before any request, and say nothing the 401 guard protects.
	variable bool
	// first, for a condition about every response of the scenario (not
	// the current one), finds the first response that breaks it: its index
	// in st.received, -1 when none does, and what was seen. It makes eval,
	// and the evidence of a deviation it records points at that response.
	// Like a variable, such a condition needs no current response and is
	// not guarded against a 401 (a header is broken whatever the status).
	first func(st *state, args []string) (int, string, error)
}

// current reports whether a condition is about the current response.
func (c *condition) current() bool { return !c.variable && c.first == nil }

var statusListRE = regexp.MustCompile(`\d{3}`)

func parseStatuses(s string) []int {
	var out []int
	for _, m := range statusListRE.FindAllString(s, -1) {
		n, _ := strconv.Atoi(m)
		out = append(out, n)
	}
	return out
}

var conditions = append([]*condition{
	{
		pattern: `the status is (\d{3}(?:(?:, | or )\d{3})*)`,
		example: `the status is 201 or 202`,
		doc:     "The response status is one of the listed codes.",
		eval: func(_ *state, r *client.Response, a []string) (bool, string, error) {
			for _, s := range parseStatuses(a[0]) {
				if r.Status == s {
					return true, fmt.Sprintf("status %d", r.Status), nil
				}
			}
			return false, fmt.Sprintf("the status was %s, not %s", describeStatus(r), a[0]), nil
		},
		statuses: func(a []string) []int { return parseStatuses(a[0]) },
	},
	{
		pattern: `the response header ` + qName + ` is present`,
		example: `the response header "Docker-Content-Digest" is present`,
		doc:     "The response carries the header (any value).",
		eval: func(_ *state, r *client.Response, a []string) (bool, string, error) {
			if _, ok := r.Header[http.CanonicalHeaderKey(a[0])]; ok {
				return true, fmt.Sprintf("header %s is %q", a[0], r.Header.Get(a[0])), nil
			}
			return false, fmt.Sprintf("the response (%s) has no %s header", describeStatus(r), a[0]), nil
		},
	},
	{
		pattern: `the response header ` + qName + ` is absent`,
		example: `the response header "OCI-Distribution-API-Version" is absent`,
		doc:     "The response does not carry the header.",
		eval: func(_ *state, r *client.Response, a []string) (bool, string, error) {
			if v, ok := headerValue(r, a[0]); ok {
				return false, fmt.Sprintf("header %s is %q", a[0], v), nil
			}
			return true, fmt.Sprintf("no %s header", a[0]), nil
		},
	},
	{
		pattern: `the response header ` + qName + ` is absent or is ` + qArg,
		example: `the response header "Docker-Content-Digest" is absent or is "{blob.digest}"`,
		doc:     "The response does not carry the header, or its value equals the text exactly: the spec's \"if present, it MUST be\".",
		eval: func(st *state, r *client.Response, a []string) (bool, string, error) {
			want, err := st.expand(a[1])
			if err != nil {
				return false, "", err
			}
			got, ok := headerValue(r, a[0])
			return !ok || got == want, fmt.Sprintf("header %s is %s", a[0], quoteOrMissing(got, ok)), nil
		},
	},
	{
		pattern: `the response header ` + qName + ` is absent or matches ` + qArg,
		example: `the response header "Link" is absent or matches "^<[^>]+>; *rel=\x22?next\x22?"`,
		doc:     "The response does not carry the header, or its value matches the regular expression (Go syntax): a header that MAY be sent and MUST have a form when it is.",
		eval: func(_ *state, r *client.Response, a []string) (bool, string, error) {
			re, err := regexp.Compile(a[1])
			if err != nil {
				return false, "", fmt.Errorf("bad regular expression %q: %w", a[1], err)
			}
			got, ok := headerValue(r, a[0])
			return !ok || re.MatchString(got), fmt.Sprintf("header %s is %s", a[0], quoteOrMissing(got, ok)), nil
		},
	},
	{
		pattern: `the response header ` + qName + ` is ` + qArg,
		example: `the response header "Content-Type" is "application/json"`,
		doc:     "The header's value equals the text exactly.",
		eval: func(st *state, r *client.Response, a []string) (bool, string, error) {
			want, err := st.expand(a[1])
			if err != nil {
				return false, "", err
			}
			got, ok := headerValue(r, a[0])
			return ok && got == want, fmt.Sprintf("header %s is %s", a[0], quoteOrMissing(got, ok)), nil
		},
	},
	{
		pattern: `the response header ` + qName + ` contains ` + qArg,
		example: `the response header "Docker-Distribution-API-Version" contains "registry/2.0"`,
		doc:     "The header's value contains the text.",
		eval: func(st *state, r *client.Response, a []string) (bool, string, error) {
			want, err := st.expand(a[1])
			if err != nil {
				return false, "", err
			}
			got, ok := headerValue(r, a[0])
			return ok && strings.Contains(got, want), fmt.Sprintf("header %s is %s", a[0], quoteOrMissing(got, ok)), nil
		},
	},
	{
		pattern: `the response header ` + qName + ` matches ` + qArg,
		example: `the response header "Location" matches "^/v2/.+/blobs/uploads/"`,
		doc:     "The header's value matches the regular expression (Go syntax).",
		eval: func(_ *state, r *client.Response, a []string) (bool, string, error) {
			re, err := regexp.Compile(a[1])
			if err != nil {
				return false, "", fmt.Errorf("bad regular expression %q: %w", a[1], err)
			}
			got, ok := headerValue(r, a[0])
			return ok && re.MatchString(got), fmt.Sprintf("header %s is %s", a[0], quoteOrMissing(got, ok)), nil
		},
	},
	{
		pattern: `the response header ` + qName + ` lists ` + qArg,
		example: `the response header "Allow" lists "DELETE"`,
		doc:     "The header is a comma-separated list (like Allow) holding the item, compared case-insensitively.",
		eval: func(_ *state, r *client.Response, a []string) (bool, string, error) {
			vals := r.Header.Values(a[0])
			for _, v := range vals {
				for _, item := range strings.Split(v, ",") {
					if strings.EqualFold(strings.TrimSpace(item), a[1]) {
						return true, fmt.Sprintf("header %s lists %s", a[0], a[1]), nil
					}
				}
			}
			if len(vals) == 0 {
				return false, fmt.Sprintf("the response (%s) has no %s header", describeStatus(r), a[0]), nil
			}
			return false, fmt.Sprintf("header %s is %q, without %s", a[0], strings.Join(vals, ", "), a[1]), nil
		},
	},
	{
		pattern: `the response body is JSON of media type ` + qName,
		example: `the response body is JSON of media type "application/vnd.oci.image.index.v1+json"`,
		doc:     "The Content-Type's media type is the given one and the body parses as JSON.",
		eval: func(_ *state, r *client.Response, a []string) (bool, string, error) {
			mt := mediaType(r)
			if mt != a[0] {
				return false, fmt.Sprintf("the response (%s) has media type %s", describeStatus(r), quoteOrMissing(mt, mt != "")), nil
			}
			if err := malformedJSON(r); err != nil {
				return false, "", err
			}
			return true, "JSON body of media type " + mt, nil
		},
	},
	{
		pattern: `the response body is an OCI image index`,
		example: `the response body is an OCI image index`,
		doc:     "The body is a JSON OCI image index: schemaVersion 2, a manifests list, and the index media type in the body or in Content-Type.",
		eval: func(_ *state, r *client.Response, _ []string) (bool, string, error) {
			if err := malformedJSON(r); err != nil {
				return false, "", err
			}
			var idx struct {
				SchemaVersion *int              `json:"schemaVersion"`
				MediaType     string            `json:"mediaType"`
				Manifests     []json.RawMessage `json:"manifests"`
			}
			if err := json.Unmarshal(r.Body, &idx); err != nil {
				return false, fmt.Sprintf("the body of the %s response is not an OCI image index (%s)", describeStatus(r), bodyGist(r)), nil
			}
			mt := idx.MediaType
			if mt == "" {
				mt = mediaType(r)
			}
			switch {
			case idx.SchemaVersion == nil || *idx.SchemaVersion != 2 || mt != ocispec.MediaTypeImageIndex:
				return false, fmt.Sprintf("the body of the %s response is not an OCI image index (%s)", describeStatus(r), bodyGist(r)), nil
			case idx.Manifests == nil:
				// A common slip: "manifests": null, which clients that
				// iterate over the list may reject.
				return false, fmt.Sprintf("the %s response is an OCI image index whose manifests field is missing or null, not a list", describeStatus(r)), nil
			}
			return true, fmt.Sprintf("an OCI image index with %d manifests", len(idx.Manifests)), nil
		},
	},
	{
		pattern: `the JSON field ` + qName + ` is ` + qArg,
		example: `the JSON field "mediaType" is "application/vnd.oci.image.index.v1+json"`,
		doc:     "The field (a dotted path such as manifests[0].digest; ['key'] for a key holding dots, as in manifests[0].annotations['org.example.key']) holds the value; numbers and booleans compare as written in JSON.",
		eval: func(st *state, r *client.Response, a []string) (bool, string, error) {
			want, err := st.expand(a[1])
			if err != nil {
				return false, "", err
			}
			if err := malformedJSON(r); err != nil {
				return false, "", err
			}
			got, ok, err := jsonpath.Field(r.Body, a[0])
			if err != nil {
				return false, fmt.Sprintf("the body is not JSON (%s): %v", bodyGist(r), err), nil
			}
			return ok && got == want, fmt.Sprintf("field %s is %s", a[0], quoteOrMissing(got, ok)), nil
		},
	},
	{
		pattern: `the JSON list ` + qName + ` has an item whose ` + qName + ` is ` + qArg + ` and whose ` + qName + ` is ` + qArg,
		example: `the JSON list "manifests" has an item whose "digest" is "{artifact}" and whose "artifactType" is "application/vnd.example.sbom.v1"`,
		doc:     "The field (a dotted path) is a list holding an object whose first field has the first value and whose second field the second: a field of the one item a scenario can tell apart (its own artifact by digest), whatever else the list holds.",
		eval:    jsonListItemWith,
	},
	{
		pattern: `the JSON list ` + qName + ` has an item whose ` + qName + ` is ` + qArg,
		example: `the JSON list "manifests" has an item whose "digest" is "{artifact}"`,
		doc:     "The field (a dotted path) is a list holding an object whose field (a dotted path inside the item) has the value.",
		eval: func(st *state, r *client.Response, a []string) (bool, string, error) {
			want, err := st.expand(a[2])
			if err != nil {
				return false, "", err
			}
			items, why, err := jsonList(r, a[0])
			if items == nil {
				return false, why, err
			}
			for _, it := range items {
				if got, ok := jsonpath.Lookup(it, a[1]); ok && jsonpath.Render(got) == want {
					return true, fmt.Sprintf("%s lists an item with %s %s", a[0], a[1], shortDigest(want)), nil
				}
			}
			return false, fmt.Sprintf("none of the %d items of %s has %s %s", len(items), a[0], a[1], shortDigest(want)), nil
		},
	},
	{
		pattern: `the JSON list ` + qName + ` has only items whose ` + qName + ` matches ` + qArg,
		example: `the JSON list "errors" has only items whose "code" matches "^[A-Z_]+$"`,
		doc:     "The field (a dotted path) is a list, and in every item the field (a dotted path inside the item) is present and its value, as written in JSON (a string without its quotes), matches the regular expression (Go syntax): e.g. every error code of an error document, not only the first. An empty list holds; null or a missing field is no list.",
		eval:    jsonListOnlyMatching,
	},
	{
		pattern: `the JSON list ` + qName + ` contains ` + qArg,
		example: `the JSON list "tags" contains "{tag}"`,
		doc:     "The field (a dotted path) is a list holding the value itself, such as a tag of tags or a repository of repositories (numbers and booleans compare as written in JSON).",
		eval:    jsonListContains,
	},
	{
		pattern: `the response body is the saved body ` + qName,
		example: `the response body is the saved body "blob"`,
		doc:     "The response body has exactly the bytes saved earlier under that name.",
		kinds:   httpResponse | programRun,
		judge: func(st *state, o observation, a []string) (bool, string, error) {
			want, ok := st.saved[a[0]]
			if !ok {
				return false, "", fmt.Errorf("no saved body %q: save one first (I save 1024 random bytes as %q)", a[0], a[0])
			}
			got, noun := o.content(), contentNoun(o)
			if string(got) == string(want) {
				return true, fmt.Sprintf("%s is the %d saved bytes (%s)", noun, len(want), shortDigest(digestOf(want))), nil
			}
			return false, fmt.Sprintf("%s (%d bytes, %s) differs from the saved %d bytes (%s)", noun, len(got), shortDigest(digestOf(got)), len(want), shortDigest(digestOf(want))), nil
		},
	},
	{
		pattern: `the response body is empty`,
		example: `the response body is empty`,
		doc:     "The response has no body bytes (a HEAD, a 204, a 202 of an upload session).",
		eval: func(_ *state, r *client.Response, _ []string) (bool, string, error) {
			if len(r.Body) == 0 {
				return true, "the body is empty", nil
			}
			return false, fmt.Sprintf("the body has %d bytes (%s)", len(r.Body), bodyGist(r)), nil
		},
	},
	{
		pattern: `the response body is bytes (\d+) to (\d+) of the saved body ` + qName,
		example: `the response body is bytes 10 to 19 of the saved body "blob"`,
		doc:     "The response body has exactly that slice of the bytes saved earlier under that name, both ends included: the answer to a Range request read back against what was pushed.",
		eval:    bodyIsSlice,
	},
	{
		pattern: `the digest of the response body is ` + qArg,
		example: `the digest of the response body is "{image}"`,
		doc:     "The response body's digest, computed with the algorithm the text names (sha256:… or sha512:…), is the text (placeholders allowed): a manifest read back by tag is the one pushed.",
		eval:    bodyHasDigest,
	},
	{
		pattern: `the response error code is ` + qName,
		example: `the response error code is "NAME_UNKNOWN"`,
		doc:     "The body is an OCI error document and one of its errors has this code (NAME_UNKNOWN, DENIED, UNSUPPORTED, …).",
		eval: func(_ *state, r *client.Response, a []string) (bool, string, error) {
			errs, ok := ociErrors(r.Body)
			if !ok {
				return false, fmt.Sprintf("the body is no OCI error document (%s)", bodyGist(r)), nil
			}
			var codes []string
			for _, e := range errs {
				if e.Code == a[0] {
					return true, "error code " + e.Code, nil
				}
				codes = append(codes, e.Code)
			}
			return false, "error codes " + strings.Join(codes, ", "), nil
		},
	},
	{
		pattern: `the JSON field ` + qName + ` exists`,
		example: `the JSON field "manifests" exists`,
		doc:     "The field is present in the JSON body (any value, null included).",
		eval: func(_ *state, r *client.Response, a []string) (bool, string, error) {
			if err := malformedJSON(r); err != nil {
				return false, "", err
			}
			_, ok, err := jsonpath.Field(r.Body, a[0])
			if err != nil {
				return false, fmt.Sprintf("the body is not JSON (%s): %v", bodyGist(r), err), nil
			}
			if !ok {
				return false, fmt.Sprintf("the JSON body has no field %s", a[0]), nil
			}
			return true, "field " + a[0] + " exists", nil
		},
	},
	{
		pattern: `the JSON field ` + qName + ` is absent`,
		example: `the JSON field "subject" is absent`,
		doc:     "The body is JSON without the field (a field that is null is present). A body that is not JSON does not hold it.",
		eval:    jsonFieldAbsent,
	},
	{
		pattern: `the JSON list ` + qName + ` has (\d+) items?`,
		example: `the JSON list "manifests" has 0 items`,
		doc:     "The field (a dotted path) is a list of exactly that many items; null or a missing field is no list.",
		eval:    jsonListLength,
	},
	{
		pattern:  `the saved list ` + qName + ` contains ` + qArg,
		example:  `the saved list "all" contains "{tag}"`,
		doc:      "The list kept by \"I follow the Link headers to the end …\" holds the value itself (a tag, a repository). Needs no response.",
		variable: true,
		eval:     savedListContains,
	},
	{
		pattern:  `the saved list ` + qName + ` has an item whose ` + qName + ` is ` + qArg,
		example:  `the saved list "referrers" has an item whose "digest" is "{artifact}"`,
		doc:      "The list kept by \"I follow the Link headers to the end …\" holds an object whose field (a dotted path inside the item) has the value. Needs no response.",
		variable: true,
		eval:     savedListItem,
	},
	{
		pattern:  `the saved list ` + qName + ` has (\d+) items?`,
		example:  `the saved list "referrers" has 3 items`,
		doc:      "The list kept by \"I follow the Link headers to the end …\" has exactly that many items, all pages together. Needs no response.",
		variable: true,
		eval:     savedListLength,
	},
	{
		pattern: `every response header ` + qName + ` matches ` + qArg,
		example: `every response header "Warning" matches "^299 - "`,
		doc:     "Each value of the header (each header line, as received), in every response of the scenario so far (clean-ups aside), matches the regular expression (Go syntax; a double quote in it is written \\\" or \\x22); it holds when no response carried the header. It is judged whatever the current response's status (a 401 too); a deviation it records names the first response that does not match.",
		first:   firstHeaderNotMatching,
	},
	{
		pattern: `every response carries at most (\d+) bytes of header ` + qName,
		example: `every response carries at most 4096 bytes of header "Warning"`,
		doc:     "In every response of the scenario so far (clean-ups aside), the values of the header, all its lines together (without the name and line ends), are at most that many bytes: e.g. the spec's bound on warnings. It is judged whatever the current response's status; a deviation it records names the first response that carries more.",
		first:   firstHeaderTooLong,
	},
	{
		pattern:  `the variable ` + qName + ` is ` + qArg,
		example:  `the variable "credentials" is "none"`,
		doc:      "The variable (e.g. the built-in {credentials}) holds exactly the text (placeholders allowed). Needs no response.",
		variable: true,
		eval: func(st *state, _ *client.Response, a []string) (bool, string, error) {
			want, err := st.expand(a[1])
			if err != nil {
				return false, "", err
			}
			got, ok := st.vars[a[0]]
			return ok && got == want, fmt.Sprintf("variable %s is %s", a[0], quoteOrMissing(got, ok)), nil
		},
	},
	{
		pattern:  `the variable ` + qName + ` matches ` + qArg,
		example:  `the variable "credentials" matches "^none"`,
		doc:      "The variable's value matches the regular expression (Go syntax). Needs no response.",
		variable: true,
		eval: func(st *state, _ *client.Response, a []string) (bool, string, error) {
			re, err := regexp.Compile(a[1])
			if err != nil {
				return false, "", fmt.Errorf("bad regular expression %q: %w", a[1], err)
			}
			got, ok := st.vars[a[0]]
			return ok && re.MatchString(got), fmt.Sprintf("variable %s is %s", a[0], quoteOrMissing(got, ok)), nil
		},
	},
}, append(nullListConditions, programConditions...)...)

func init() {
	for _, c := range conditions {
		c.re = regexp.MustCompile("^" + c.pattern + "$")
		c.prefix = literalPrefix(c.pattern)
		if c.first != nil && c.eval == nil {
			c.eval = everyResponse(c.first)
		}
		if judge := c.judge; judge != nil && c.eval == nil {
			c.eval = func(st *state, r *client.Response, a []string) (bool, string, error) {
				return judge(st, httpObservation{r}, a)
			}
		}
	}
}

// parseConditions splits "A and B" into known conditions. The split is
// tried at every " and " so that quoted values containing " and " still
// parse.
func parseConditions(text string) ([]boundCondition, error) {
	if c, args, ok := matchCondition(text); ok {
		return []boundCondition{{c, args, text}}, nil
	}
	idx := 0
	for {
		i := strings.Index(text[idx:], " and ")
		if i < 0 {
			break
		}
		cut := idx + i
		if c, args, ok := matchCondition(text[:cut]); ok {
			rest, err := parseConditions(text[cut+len(" and "):])
			if err == nil {
				return append([]boundCondition{{c, args, text[:cut]}}, rest...), nil
			}
		}
		idx = cut + 1
	}
	return nil, unknownCondition(text)
}

type boundCondition struct {
	c    *condition
	args []string
	text string
}

func matchCondition(text string) (*condition, []string, bool) {
	for _, c := range conditions {
		if !strings.HasPrefix(text, c.prefix) {
			continue
		}
		if m := c.re.FindStringSubmatch(text); m != nil {
			args := m[1:]
			for i, q := range quotedGroups(c.pattern) {
				if q {
					args[i] = unescape(args[i])
				}
			}
			return c, args, true
		}
	}
	return nil, nil, false
}

// errNonAnswer is evalAll's error for a non-answer status (401, 429, 5xx…)
// that no condition names: it says nothing about the capability. Outcome
// steps that offer alternatives defer it (a later step may name the
// status); everything else fails with it.
type errNonAnswer struct{ msg string }

func (e *errNonAnswer) Error() string { return e.msg }

// evalAll evaluates every condition against the current response.
func evalAll(st *state, conds []boundCondition) (bool, string, error) {
	return evalWith(st, conds, nonAnswer)
}

// evalWith is evalAll with its own rule for which statuses are no answer.
func evalWith(st *state, conds []boundCondition, nonAnswer func(int) bool) (bool, string, error) {
	onlyVariables := true
	for _, bc := range conds {
		onlyVariables = onlyVariables && !bc.c.current()
	}
	o, err := st.observation()
	if !onlyVariables {
		if err != nil {
			return false, "", err
		}
		if err := checkKinds(conds, o); err != nil {
			return false, "", err
		}
		if r, ok := o.(httpObservation); ok && nonAnswer(r.Status) && !namesStatus(conds, r.Status) {
			return false, "", &errNonAnswer{nonAnswerMessage(st, r.Response)}
		}
	}
	var seen []string
	for _, bc := range conds {
		ok, obs, err := bc.c.evaluate(st, o, bc.args)
		if err != nil {
			return false, "", err
		}
		if !ok {
			return false, obs, nil
		}
		seen = append(seen, obs)
	}
	return true, strings.Join(seen, ", "), nil
}

func nonAnswerMessage(st *state, r *client.Response) string {
	if redirect(r.Status) {
		return fmt.Sprintf("%s answered %s, a redirect to %q that ocicaps does not follow, which says nothing about the capability", st.requestName(), describeStatus(r), redactedLocation(r.Header.Get("Location")))
	}
	return fmt.Sprintf("%s answered %s, which says nothing about the capability", st.requestName(), describeStatus(r))
}

// redactedLocation quotes a Location without the secrets a signed URL
// carries in its query.
func redactedLocation(v string) string {
	u, err := url.Parse(v)
	if err != nil {
		return clip(v, 120)
	}
	return clip(client.RedactURL(u), 200)
}

func namesStatus(conds []boundCondition, status int) bool {
	for _, bc := range conds {
		if bc.c.statuses == nil {
			continue
		}
		for _, s := range bc.c.statuses(bc.args) {
			if s == status {
				return true
			}
		}
	}
	return false
}

func jsonFieldAbsent(_ *state, r *client.Response, a []string) (bool, string, error) {
	if err := malformedJSON(r); err != nil {
		return false, "", err
	}
	v, ok, err := jsonpath.Field(r.Body, a[0])
	switch {
	case err != nil:
		return false, fmt.Sprintf("the body is not JSON (%s): %v", bodyGist(r), err), nil
	case ok:
		return false, fmt.Sprintf("field %s is %s", a[0], clip(v, 80)), nil
	}
	return true, "no field " + a[0], nil
}

func jsonListLength(_ *state, r *client.Response, a []string) (bool, string, error) {
	want, err := strconv.Atoi(a[1])
	if err != nil {
		return false, "", fmt.Errorf("list length %q: %w", a[1], err)
	}
	items, why, err := jsonList(r, a[0])
	if items == nil {
		return false, why, err
	}
	return len(items) == want, fmt.Sprintf("list %s has %s", a[0], count(len(items), "item")), nil
}

// jsonList is the list at path in the JSON body; when there is none, it
// is nil with what was seen instead, or an error for a malformed body.
func jsonList(r *client.Response, path string) ([]any, string, error) {
	if err := malformedJSON(r); err != nil {
		return nil, "", err
	}
	v, ok, err := jsonpath.Value(r.Body, path)
	if err != nil {
		return nil, fmt.Sprintf("the body is not JSON (%s): %v", bodyGist(r), err), nil
	}
	items, isList := v.([]any)
	if !ok || !isList {
		return nil, fmt.Sprintf("the JSON body has no list %s (%s)", path, quoteOrMissing(jsonpath.Render(v), ok)), nil
	}
	if items == nil {
		items = []any{}
	}
	return items, "", nil
}

// count says "1 item", "2 items".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// jsonListContains holds when the list at a[0] has the item a[1] itself
// (a string list such as tags or repositories).
func jsonListContains(st *state, r *client.Response, a []string) (bool, string, error) {
	want, err := st.expand(a[1])
	if err != nil {
		return false, "", err
	}
	items, why, err := jsonList(r, a[0])
	if items == nil {
		return false, why, err
	}
	for _, it := range items {
		if jsonpath.Render(it) == want {
			return true, fmt.Sprintf("%s lists %s", a[0], shortDigest(want)), nil
		}
	}
	return false, fmt.Sprintf("none of the %s of %s is %s", count(len(items), "item"), a[0], shortDigest(want)), nil
}

// jsonListItemWith holds when the list at a[0] has an item whose a[1] is
// a[2] and whose a[3] is a[4]; what it saw names the second field of the
// item found by the first.
func jsonListItemWith(st *state, r *client.Response, a []string) (bool, string, error) {
	key, err := st.expand(a[2])
	if err != nil {
		return false, "", err
	}
	want, err := st.expand(a[4])
	if err != nil {
		return false, "", err
	}
	items, why, err := jsonList(r, a[0])
	if items == nil {
		return false, why, err
	}
	for _, it := range items {
		if got, ok := jsonpath.Lookup(it, a[1]); !ok || jsonpath.Render(got) != key {
			continue
		}
		got, ok := jsonpath.Lookup(it, a[3])
		if ok && jsonpath.Render(got) == want {
			return true, fmt.Sprintf("the item of %s with %s %s has %s %s", a[0], a[1], shortDigest(key), a[3], want), nil
		}
		return false, fmt.Sprintf("the item of %s with %s %s has %s %s", a[0], a[1], shortDigest(key), a[3], quoteOrMissing(jsonpath.Render(got), ok)), nil
	}
	return false, fmt.Sprintf("none of the %d items of %s has %s %s", len(items), a[0], a[1], shortDigest(key)), nil
}
