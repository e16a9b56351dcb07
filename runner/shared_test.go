package runner

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/internal/zoo"
)

// Several scenarios read the test image's manifest; against a real
// registry each distinct read is sent once per registry run, and every
// scenario that needed it still shows the exchange as its evidence.
func TestTestManifestReadOncePerRegistry(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	insts := startZoo(t, zoo.Standard()[0])
	up, err := url.Parse(insts[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	reads := map[string]int{}
	proxy := httputil.NewSingleHostReverseProxy(up)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/library/alpine/manifests/latest" {
			mu.Lock()
			reads[r.Method+" "+r.Header.Get("Accept")]++
			mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()

	s, _ := seedSuite(t)
	reg := fakeRegistry("counted", srv.URL)
	reg.Concurrency = 8
	out, err := Run(ctx, Options{Registries: []config.Registry{reg}, Suite: s, Scenarios: s.Select("")})
	if err != nil {
		t.Fatal(err)
	}
	for read, n := range reads {
		if n != 1 {
			t.Errorf("%q was sent %d times, want once", read, n)
		}
	}
	withEvidence := 0
	for _, c := range out.Registries[0].Capabilities {
		for _, ex := range c.Exchanges {
			if strings.HasSuffix(ex.URL, "/v2/library/alpine/manifests/latest") {
				withEvidence++
				break
			}
		}
	}
	if len(reads) == 0 || withEvidence < len(reads)+1 {
		t.Errorf("%d distinct reads, %d capabilities showing one: want some read shared by several capabilities", len(reads), withEvidence)
	}
}
