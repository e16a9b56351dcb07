package twist

import (
	"net/http"
	"regexp"
	"strconv"
)

// Quirks of CNCF Distribution 2.8.2, Debian's docker-registry package and
// still what many self-hosted installs run. Each was seen with curl on that
// package (127.0.0.1, 2026-12-07).

func init() {
	register(Mode{
		Name: "short-416-body",
		Doc: "answers an unsatisfiable range with 416, a Content-Length larger than the body it sends, then closes " +
			"the connection: Distribution 2.8.2 declares the blob's size (Content-Length: 49 for a 49-byte blob) and sends 33 bytes",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := Forward(up, r)
				if a.Status != http.StatusRequestedRangeNotSatisfiable {
					a.Write(w)
					return
				}
				body := []byte("requested range not satisfiable\n")
				for k, v := range a.Header {
					w.Header()[k] = v
				}
				// More than is sent: net/http then closes the connection
				// after the handler, as 2.8.2 leaves its answer.
				w.Header().Set("Content-Length", strconv.Itoa(len(body)+97))
				w.WriteHeader(a.Status)
				_, _ = w.Write(body)
			})
		},
	})
	register(Mode{
		Name: "tag-delete-refused",
		Doc: "refuses DELETE of a manifest by tag with 400 DIGEST_INVALID, as Distribution 2.8.2 does; a DELETE by " +
			"digest removes the manifest and its tags (the upstream Distribution does that too)",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodDelete && manifestByTagRE.MatchString(r.URL.Path) {
					writeError(w, http.StatusBadRequest, "DIGEST_INVALID", "provided digest did not match uploaded content")
					return
				}
				up.ServeHTTP(w, r)
			})
		},
	})
}

// manifestByTagRE matches /v2/<name>/manifests/<tag> (no digest).
var manifestByTagRE = regexp.MustCompile(`^/v2/.+/manifests/[^/:]+$`)

// writeError answers an OCI error document with one error.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(`{"errors":[{"code":"` + code + `","message":"` + msg + `"}]}` + "\n"))
}

func init() {
	register(Mode{
		Name: "null-empty-lists",
		Doc: "answers an empty tag list or referrers list with null instead of []: Distribution 2.8.2 answers " +
			`{"name":"t","tags":null} for a repository whose tags went with their manifest, olareg v0.1.2 "manifests":null ` +
			"for a manifest without referrers",
		New: func(up http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				a := Forward(up, r)
				if a.Status == http.StatusOK {
					a.Body = emptyListRE.ReplaceAll(a.Body, []byte(`"$1":null`))
				}
				a.Write(w)
			})
		},
	})
}

// emptyListRE is an empty list of tags or manifests in a JSON answer.
var emptyListRE = regexp.MustCompile(`"(tags|manifests)"\s*:\s*\[\s*\]`)
