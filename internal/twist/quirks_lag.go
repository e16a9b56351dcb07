package twist

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Reads that lag writes, as on replicated registries and object storage
// backends (S3 before strong consistency, registries behind a CDN or with
// read replicas): a blob or manifest answers 404 for a while after the
// write that stored it. Everything else, lists included, passes through.

// LagDelay is how long lag-500ms hides a new object.
const LagDelay = 500 * time.Millisecond

func init() {
	register(Mode{
		Name: "lag-500ms",
		Doc:  "hides each blob and manifest it sees written for 500 ms: GET and HEAD of it answer 404 BLOB_UNKNOWN or MANIFEST_UNKNOWN until then, as replicated or object-storage registries do",
		New:  func(up http.Handler) http.Handler { return newLag(up, LagDelay) },
	})
}

var (
	lagObjectRE = regexp.MustCompile(`^/v2/(.+)/(blobs|manifests)/([^/]+)$`)
	lagUploadRE = regexp.MustCompile(`^/v2/(.+)/blobs/uploads/`)
)

type lag struct {
	up    http.Handler
	delay time.Duration
	mu    sync.Mutex
	until map[string]time.Time // object path → hidden until
}

func newLag(up http.Handler, delay time.Duration) *lag {
	return &lag{up: up, delay: delay, until: map[string]time.Time{}}
}

func (l *lag) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m := lagObjectRE.FindStringSubmatch(r.URL.Path)
	if m != nil && m[2] == "blobs" && m[3] == "uploads" {
		m = nil
	}
	if m != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) && l.hidden(r.URL.Path) {
		code := "BLOB_UNKNOWN"
		if m[2] == "manifests" {
			code = "MANIFEST_UNKNOWN"
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		if r.Method == http.MethodGet {
			_, _ = w.Write([]byte(`{"errors":[{"code":"` + code + `","message":"not found"}]}`))
		}
		return
	}
	if r.Method != http.MethodPut && r.Method != http.MethodPost {
		l.up.ServeHTTP(w, r)
		return
	}
	a := Forward(l.up, r)
	if a.Status == http.StatusCreated {
		l.hide(written(r, a)...)
	}
	a.Write(w)
}

func (l *lag) hidden(path string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Now().Before(l.until[path])
}

func (l *lag) hide(paths ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := time.Now().Add(l.delay)
	for _, p := range paths {
		l.until[p] = t
	}
}

// written names what a 201 stored: a manifest by its reference and its
// digest, a blob by the digest its upload or mount named and by Location.
func written(r *http.Request, a *Answer) []string {
	var out []string
	if m := lagObjectRE.FindStringSubmatch(r.URL.Path); m != nil && m[2] == "manifests" {
		out = append(out, r.URL.Path)
		if d := a.Header.Get("Docker-Content-Digest"); d != "" {
			out = append(out, "/v2/"+m[1]+"/manifests/"+d)
		}
		return out
	}
	m := lagUploadRE.FindStringSubmatch(r.URL.Path)
	if m == nil {
		return nil
	}
	for _, d := range []string{r.URL.Query().Get("digest"), r.URL.Query().Get("mount")} {
		if d != "" {
			out = append(out, "/v2/"+m[1]+"/blobs/"+d)
		}
	}
	if u, err := url.Parse(a.Header.Get("Location")); err == nil && strings.Contains(u.Path, "/blobs/") && !strings.Contains(u.Path, "/uploads/") {
		out = append(out, u.Path)
	}
	return out
}
