// What a request is and what comes back: the request of a step, the
// response read in full up to the limit, and its description in words.

package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"oras.land/oras-go/v2/registry/remote/errcode"
)

// Request is one request of a scenario.
type Request struct {
	Method string
	// Target is a path such as /v2/ (joined to the registry URL) or an
	// absolute URL (a Location header).
	Target string
	Header http.Header
	Body   []byte
	// Cleanup marks requests that undo what a scenario created.
	Cleanup bool
}

// Response is the final answer to a request, its body read in full (up to
// the client's limit).
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// URL is the absolute URL that was requested.
	URL *url.URL
	// AuthNote says, for a 401 or 403, what was presented to the registry
	// (nothing, refused credentials, a token the token service would not
	// give): the part of the answer the status alone does not tell.
	AuthNote string
	// Redirects are the URLs a followed redirect went to, in order
	// (redacted); the answer is the last one's (redirect.go).
	Redirects []string
	// RedirectRefused says why a redirect of a blob or manifest read was
	// not followed (a loop, a scheme other than http(s), https to http, a
	// forbidden address, too many hops); the answer is then that redirect.
	RedirectRefused string
}

// ErrBodyTooLarge is returned when a response body exceeds the limit.
var ErrBodyTooLarge = errors.New("response body exceeds the read limit")

// readBody reads at most limit+1 bytes of the body (one more than allowed
// tells a body that is too large). A Content-Length within the limit sizes
// the buffer at once: growing it by doubling costs a 4 MiB manifest
// several allocations of fresh memory, each cleared, and the garbage
// collector's work after them.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	r := io.LimitReader(resp.Body, limit+1)
	n := resp.ContentLength
	if n <= 0 || n > limit {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, n+1) // +1: room to see EOF without growing
	for {
		if len(b) == cap(b) { // longer than its Content-Length said
			b = append(b, 0)[:len(b)]
		}
		m, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// OCIErrors reads an OCI error document ({"errors":[{"code":…}]}) from a
// body; ok is false when the body is not one or lists no error.
func OCIErrors(body []byte) (errcode.Errors, bool) {
	var doc struct {
		Errors errcode.Errors `json:"errors"`
	}
	if json.Unmarshal(body, &doc) != nil || len(doc.Errors) == 0 {
		return nil, false
	}
	return doc.Errors, true
}

// Describe renders the status with the registry's own error code and
// message when the body is an OCI error document, and, for a 401 or 403,
// what was presented: "401 Unauthorized (UNAUTHORIZED: authentication
// required); no credentials are configured …". Reasons and the runner's
// own requests (verify mode's preflight) say an answer this way.
func (r *Response) Describe() string {
	s := fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status))
	if errs, ok := OCIErrors(r.Body); ok {
		e := errs[0]
		msg := e.Code
		if e.Message != "" {
			msg += ": " + clipText(e.Message, 120)
		}
		s += " (" + msg + ")"
	}
	if r.AuthNote != "" {
		s += "; " + r.AuthNote
	}
	return strings.TrimSpace(s)
}

// clipText keeps the first n bytes of s, valid UTF-8, with an ellipsis
// when it cut.
func clipText(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
