package steps

import (
	"net/url"
	"testing"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/results"
)

// A response becomes the current one and is kept for the conditions about
// every response, its body only for an error answer; a request without an
// answer leaves no current response, but its exchange stays evidence.
func TestTranscriptAnswered(t *testing.T) {
	var tr transcript
	if _, err := tr.response(); err == nil {
		t.Error("a response before any request")
	}
	u, _ := url.Parse("http://r/v2/a/manifests/sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	ok := &client.Response{Status: 200, Body: []byte("big manifest"), URL: u}
	tr.answered(results.Exchange{Method: "GET", URL: u.String()}, ok)
	bad := &client.Response{Status: 404, Body: []byte(`{"errors":[{"code":"MANIFEST_UNKNOWN"}]}`), URL: u}
	tr.answered(results.Exchange{Method: "HEAD", URL: u.String()}, bad)
	if r, err := tr.response(); err != nil || r != bad || tr.lastEx != 1 {
		t.Fatalf("current %v %v %d", r, err, tr.lastEx)
	}
	if tr.received[0].resp.Body != nil || tr.received[1].resp.Body == nil {
		t.Error("only an error answer keeps its body")
	}
	if ok.Body == nil {
		t.Error("the caller's response lost its body")
	}
	if got, want := tr.receivedName(1), "the answer to HEAD /v2/a/manifests/sha256:0123456789ab… (404 Not Found (MANIFEST_UNKNOWN))"; got != want {
		t.Errorf("receivedName = %q, want %q", got, want)
	}
	if ev := tr.lastEvidence(); ev.Exchange != 1 || ev.Method != "HEAD" || ev.Status != 404 {
		t.Errorf("lastEvidence = %+v", ev)
	}
	tr.answered(results.Exchange{Method: "GET", Error: "refused"}, nil)
	if _, err := tr.response(); err == nil || len(tr.exchanges) != 3 {
		t.Errorf("after no answer: %v, %d exchanges", err, len(tr.exchanges))
	}
	if ev := tr.lastEvidence(); ev.Exchange != -1 {
		t.Errorf("evidence without a current response: %+v", ev)
	}
}
