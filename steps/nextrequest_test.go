package steps

import "testing"

// take appends the prepared query to the target (after an existing one
// with &), hands over header and body, and starts the next request empty.
func TestNextRequestTake(t *testing.T) {
	n := newNextRequest()
	n.header.Set("Content-Type", "application/octet-stream")
	n.query.Add("digest", "sha256:x")
	n.body = []byte("abc")
	req := n.take("PUT", "/v2/r/blobs/uploads/1?state=s")
	if req.Method != "PUT" || req.Target != "/v2/r/blobs/uploads/1?state=s&digest=sha256%3Ax" {
		t.Errorf("request %s %s", req.Method, req.Target)
	}
	if req.Header.Get("Content-Type") != "application/octet-stream" || string(req.Body) != "abc" {
		t.Errorf("header %v body %q", req.Header, req.Body)
	}
	if len(n.header) != 0 || len(n.query) != 0 || n.body != nil {
		t.Errorf("not reset: %+v", n)
	}
	if got := n.take("GET", "/v2/").Target; got != "/v2/" {
		t.Errorf("next target %q", got)
	}
	if n.header == nil || n.query == nil {
		t.Error("the next request must be ready for headers and query parameters")
	}
}
