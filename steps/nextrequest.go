package steps

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/ocicaps/ocicaps/client"
)

// nextRequest is the request being prepared: the headers, query
// parameters and body that the steps before a send set. They apply to that
// one request only.
type nextRequest struct {
	header http.Header
	query  url.Values
	body   []byte
}

func newNextRequest() nextRequest {
	return nextRequest{header: http.Header{}, query: url.Values{}}
}

// take makes the request to target (placeholders already expanded) with
// what was prepared, and starts the next one afresh.
func (n *nextRequest) take(method, target string) client.Request {
	if len(n.query) > 0 {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + n.query.Encode()
	}
	req := client.Request{Method: method, Target: target, Header: n.header, Body: n.body}
	*n = newNextRequest()
	return req
}
