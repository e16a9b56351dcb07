package twist

import (
	"net/http"
)

// Blob reads redirected where no registry client may follow (issue 21):
// the registry's answer to a blob GET or HEAD is a 307 to a target that is
// not http(s), to the cloud metadata address, or back to itself. Uploads
// and manifests pass through, so everything but reading a blob works.

func redirectBlobs(target func(r *http.Request) string) func(http.Handler) http.Handler {
	return func(up http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !blobPathRE.MatchString(r.URL.Path) {
				up.ServeHTTP(w, r)
				return
			}
			w.Header().Set("Location", target(r))
			w.WriteHeader(http.StatusTemporaryRedirect)
		})
	}
}

func init() {
	register(Mode{
		Name: "blob-redirect-file",
		Doc:  "answers blob reads with a 307 to file:///etc/passwd",
		New:  redirectBlobs(func(*http.Request) string { return "file:///etc/passwd" }),
	})
	register(Mode{
		Name: "blob-redirect-metadata",
		Doc:  "answers blob reads with a 307 to the cloud metadata address 169.254.169.254",
		New:  redirectBlobs(func(*http.Request) string { return "http://169.254.169.254/latest/meta-data/" }),
	})
	register(Mode{
		Name: "blob-redirect-loop",
		Doc:  "answers blob reads with a 307 to the same URL, a loop",
		New:  redirectBlobs(func(r *http.Request) string { return r.URL.Path }),
	})
}
