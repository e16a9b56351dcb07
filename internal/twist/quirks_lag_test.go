package twist

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// lag-500ms hides what it saw written, and only that; here with a delay
// no test outlives, so the answers do not depend on timing.
func TestLagHidesNewObjects(t *testing.T) {
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPut:
			w.Header().Set("Docker-Content-Digest", "sha256:abc")
			w.Header().Set("Location", "/v2/a/blobs/sha256:def")
			w.WriteHeader(http.StatusCreated)
		default:
			w.WriteHeader(http.StatusOK)
		}
	})
	l := newLag(up, time.Hour)
	do := func(method, target string) int {
		rec := httptest.NewRecorder()
		l.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
		return rec.Code
	}
	if got := do("GET", "/v2/a/manifests/v1"); got != 200 {
		t.Fatalf("before any write: %d", got)
	}
	do("PUT", "/v2/a/manifests/v1")
	do("PUT", "/v2/a/blobs/uploads/x?digest=sha256:def")
	for _, p := range []string{"/v2/a/manifests/v1", "/v2/a/manifests/sha256:abc", "/v2/a/blobs/sha256:def"} {
		if got := do("HEAD", p); got != 404 {
			t.Errorf("HEAD %s right after the write: %d, want 404", p, got)
		}
	}
	if got := do("GET", "/v2/a/tags/list"); got != 200 {
		t.Errorf("a list is not hidden: %d", got)
	}
	if got := do("GET", "/v2/a/manifests/v2"); got != 200 {
		t.Errorf("an object never written: %d", got)
	}
	l0 := newLag(up, 0)
	rec := httptest.NewRecorder()
	l0.ServeHTTP(rec, httptest.NewRequest("PUT", "/v2/a/manifests/v1", nil))
	rec = httptest.NewRecorder()
	l0.ServeHTTP(rec, httptest.NewRequest("GET", "/v2/a/manifests/v1", nil))
	if rec.Code != 200 {
		t.Errorf("with no delay the object is readable at once: %d", rec.Code)
	}
}
