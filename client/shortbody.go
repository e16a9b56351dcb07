package client

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// shortBody tells whether a body read that ended early can be kept: the
// body stopped before its Content-Length (io.ErrUnexpectedEOF) on an
// answer whose status already decides what it means. Distribution 2.8.2
// answers an unsatisfiable range with 416, "Content-Length: 130" and 33
// bytes; the 416 is the answer, and the body only its explanation. A 2xx
// body is content (a blob, a manifest, a list): one cut short stays an
// error. The note says what was missing, for the exchange's evidence.
func shortBody(resp *http.Response, data []byte, err error) (string, bool) {
	if !errors.Is(err, io.ErrUnexpectedEOF) || resp.StatusCode < 300 {
		return "", false
	}
	return fmt.Sprintf("the body ended after %d of the %d bytes its Content-Length declared; the %d status is the answer",
		len(data), resp.ContentLength, resp.StatusCode), true
}
