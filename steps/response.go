package steps

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/ocicaps/ocicaps/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Describing responses in words, for checks, reasons and errors.

const (
	mtDockerManifest    = "application/vnd.docker.distribution.manifest.v2+json"
	mtDockerList        = "application/vnd.docker.distribution.manifest.list.v2+json"
	manifestAcceptTypes = ocispec.MediaTypeImageManifest + ", " + ocispec.MediaTypeImageIndex + ", " + mtDockerManifest + ", " + mtDockerList
)

// ociErrors reads an OCI error document from a body (client.OCIErrors).
var ociErrors = client.OCIErrors

// methodOf is the method of the request that answered the current
// response: not always the last exchange (a push step's read-back comes
// after the PUT it leaves current; clean-ups are never current).
func methodOf(st *state) string {
	if st.last != nil && st.lastEx < len(st.exchanges) {
		return st.exchanges[st.lastEx].Method
	}
	if n := len(st.exchanges); n > 0 {
		return st.exchanges[n-1].Method
	}
	return "request"
}

func headerValue(r *client.Response, name string) (string, bool) {
	vs, ok := r.Header[http.CanonicalHeaderKey(name)]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return strings.Join(vs, ", "), true
}

func quoteOrMissing(v string, ok bool) string {
	if !ok {
		return "missing"
	}
	return strconv.Quote(v)
}

func mediaType(r *client.Response) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return ct
	}
	return mt
}

// malformedJSON is an error when the response says it is JSON but is not.
// It is an errMalformed: the outcome steps make it unsupported (issue 20:
// a list or an error document that cannot be parsed is no support), with
// the parse failure named. A body that does not claim to be JSON (a
// text/plain 404 page) is simply not JSON.
func malformedJSON(r *client.Response) error {
	mt := mediaType(r)
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return nil
	}
	var v any
	err := json.Unmarshal(r.Body, &v)
	if err == nil {
		return nil
	}
	return &errMalformed{fmt.Sprintf("the registry answered %d with malformed JSON (Content-Type %s, %d bytes): %v", r.Status, mt, len(r.Body), err)}
}

// describeStatus says a response's status in words (client's
// Response.Describe), as reasons and errors do.
func describeStatus(r *client.Response) string { return r.Describe() }

// errMalformed is a body that claims to be JSON and does not parse.
type errMalformed struct{ msg string }

func (e *errMalformed) Error() string { return e.msg }

// bodyGist describes a body in a few words for a reason.
func bodyGist(r *client.Response) string {
	if len(r.Body) == 0 {
		return "empty body"
	}
	if errs, ok := ociErrors(r.Body); ok {
		return "error document " + errs[0].Code
	}
	mt := mediaType(r)
	if mt == "" {
		mt = "no Content-Type"
	}
	return fmt.Sprintf("%d bytes of %s", len(r.Body), mt)
}

func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// shortDigest keeps reasons readable: sha256:0123456789ab….
func shortDigest(s string) string {
	return digestInPathRE.ReplaceAllString(s, "$1…")
}
