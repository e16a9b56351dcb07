package twist

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// blobServer serves one blob, "0123456789", honouring bytes=A-B ranges.
func blobServer(t *testing.T) string {
	t.Helper()
	const blob = "0123456789"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "", time.Time{}, strings.NewReader(blob))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func get(t *testing.T, u, rng string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if rng != "" {
		req.Header.Set("Range", rng)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Range"), string(b)
}

func TestContentLies(t *testing.T) {
	up := blobServer(t)
	path := "/v2/r/blobs/sha256:" + strings.Repeat("a", 64)
	cases := []struct {
		mode, rng          string
		status             int
		contentRange, body string
	}{
		{"honest", "bytes=4-6", 206, "bytes 4-6/10", "456"},
		{"range-from-zero", "bytes=4-6", 206, "bytes 4-6/10", "012"},
		// The middle byte: '5' (0x35) becomes '4' (0x34).
		{"flip-byte", "", 200, "", "0123446789"},
		{"flip-byte", "bytes=4-6", 206, "bytes 4-6/10", "446"},
	}
	for _, c := range cases {
		p, err := Start(up, c.mode)
		if err != nil {
			t.Fatal(err)
		}
		status, cr, body := get(t, p.URL+path, c.rng)
		p.Close()
		if status != c.status || cr != c.contentRange || body != c.body {
			t.Errorf("%s %q: %d %q %q, want %d %q %q", c.mode, c.rng, status, cr, body, c.status, c.contentRange, c.body)
		}
	}
}

// The liars that store nothing never ask the registry.
func TestStoresNothingAsksNobody(t *testing.T) {
	asked := false
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { asked = true }))
	defer srv.Close()
	for _, mode := range []string{"stores-nothing", "stores-nothing-plausible", "stores-nothing-remembers-deletes"} {
		p, err := Start(srv.URL, mode)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Post(p.URL+"/v2/r/blobs/uploads/", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		p.Close()
		if resp.StatusCode != 202 || !strings.HasPrefix(resp.Header.Get("Location"), "/v2/r/blobs/uploads/") {
			t.Errorf("%s: POST answered %d %q", mode, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if asked {
		t.Error("the registry was asked")
	}
}
