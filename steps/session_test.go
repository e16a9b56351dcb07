package steps

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/ocicaps/ocicaps/client"
)

// After a PATCH answered 202, the session's clean-up cancels the Location
// it answered, not the URL from before the chunk (which Distribution
// refuses with 416 RANGE_INVALID).
func TestSessionCleanupFollowsPatch(t *testing.T) {
	c, err := client.New("http://127.0.0.1:1", client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := newState(&Target{Client: c})
	old := "http://127.0.0.1:1/v2/r/blobs/uploads/s1?_state=a"
	st.addCleanupURL("upload session", old, "", "", "")
	st.addCleanupURL("blob", "http://127.0.0.1:1/v2/r/blobs/sha256:ab", "", "", "")
	u, _ := url.Parse(old)
	st.followSession(&client.Response{Status: 202, URL: u, Header: http.Header{"Location": {"/v2/r/blobs/uploads/s1?_state=b"}}})
	if got := st.cleanups[0].target; got != "http://127.0.0.1:1/v2/r/blobs/uploads/s1?_state=b" {
		t.Errorf("session clean-up %s, want the PATCH's Location", got)
	}
	if got := st.cleanups[1].target; got != "http://127.0.0.1:1/v2/r/blobs/sha256:ab" {
		t.Errorf("a blob clean-up changed: %s", got)
	}
}
