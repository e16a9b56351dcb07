package twist

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// The honest mode changes nothing but the registry's own absolute
// Location, which must name the proxy so that clients keep using it.
func TestHonestPassesThrough(t *testing.T) {
	var up *httptest.Server
	up = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", up.URL+"/v2/a/blobs/uploads/1")
		w.Header().Set("X-Seen", r.Method+" "+r.URL.Path)
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, "body")
	}))
	defer up.Close()
	p, err := Start(up.URL, "honest")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	resp, err := http.Post(p.URL+"/v2/a/blobs/uploads/", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 202 || string(b) != "body" || resp.Header.Get("X-Seen") != "POST /v2/a/blobs/uploads/" {
		t.Errorf("got %d %q %q", resp.StatusCode, b, resp.Header.Get("X-Seen"))
	}
	if got, want := resp.Header.Get("Location"), p.URL+"/v2/a/blobs/uploads/1"; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
}

func TestStartRefusesUnknownModeAndRemoteTarget(t *testing.T) {
	if _, err := Start("http://127.0.0.1:1", "no-such-mode"); err == nil {
		t.Error("unknown mode accepted")
	}
	if _, err := Start("http://192.0.2.1:5000", "honest"); err == nil {
		t.Error("a target off loopback accepted")
	}
}
