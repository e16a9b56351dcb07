package proxysink

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// A client behind the sink reaches nothing through it, HTTPS (CONNECT)
// or plain HTTP, and the sink names what it was asked, once each.
func TestSinkAnswersNothingAndRecords(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A real server the client would reach without the proxy: it must
	// never see a request.
	reached := false
	origin := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }))
	defer origin.Close()
	plain := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }))
	defer plain.Close()
	proxy, _ := url.Parse(s.URL())
	c := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	originHost := "cdn.example.test:443"
	if _, err := c.Get("https://" + originHost + "/x"); err == nil {
		t.Error("an HTTPS request through the sink got an answer")
	}
	if _, err := c.Get("https://" + originHost + "/again"); err == nil {
		t.Error("the second HTTPS request got an answer")
	}
	resp, err := c.Get(plain.URL + "/y")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || reached {
		t.Errorf("plain HTTP through the sink: %d, origin reached %v", resp.StatusCode, reached)
	}
	want := []string{"CONNECT " + originHost, "GET " + plain.Listener.Addr().String()}
	if got := s.Drain(); !slices.Equal(got, want) {
		t.Errorf("recorded %q, want %q", got, want)
	}
	if got := s.Drain(); len(got) != 0 {
		t.Errorf("a second Drain: %q", got)
	}
}

// A target is the client's to write: the sink keeps its first MaxTarget
// bytes only.
func TestSinkClipsLongTargets(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	long := strings.Repeat("a", 4000) + ".test"
	req, _ := http.NewRequest(http.MethodGet, s.URL()+"/x", nil)
	req.Host = long
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := s.Drain()
	if len(got) != 1 || len(got[0]) > MaxTarget || !strings.HasPrefix(got[0], "GET aaaa") {
		t.Errorf("recorded %d targets, the first %d bytes long", len(got), len(got[0]))
	}
}
