package steps

import (
	"net/url"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

// A URL is registered once; a 201 to a PUT drops only the upload session
// at its path; dropCleanup removes one URL.
func TestLedger(t *testing.T) {
	var l ledger
	session := "http://r/v2/a/blobs/uploads/1?_state=x"
	l.add(cleanup{what: "upload session", target: session})
	l.add(cleanup{what: "upload session", target: session})
	l.add(cleanup{what: "blob", target: "http://r/v2/a/blobs/sha256:1"})
	l.add(cleanup{what: "manifest", target: "http://r/v2/a/manifests/t"})
	if len(l.cleanups) != 3 {
		t.Fatalf("%d clean-ups, want 3: %+v", len(l.cleanups), l.cleanups)
	}
	u, _ := url.Parse("http://r/v2/a/blobs/uploads/1?digest=sha256:1")
	l.sessionClosed(u)
	l.dropCleanup("http://r/v2/a/manifests/t")
	if len(l.cleanups) != 1 || l.cleanups[0].what != "blob" {
		t.Errorf("left %+v, want the blob only", l.cleanups)
	}
	l.leave(results.Leftover{What: "blob"})
	if len(l.leftovers) != 1 {
		t.Errorf("leftovers %+v", l.leftovers)
	}
}
