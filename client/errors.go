package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// RequestError is a request that got no usable answer: the method, the
// (redacted) URL, how many attempts were made, and the cause, kept for
// errors.Is/As (like go-containerregistry's transport.Error).
type RequestError struct {
	Method   string
	URL      string
	Attempts int
	// Msg is the operator's sentence for the cause (describe); it is what
	// Error prints after the method and URL.
	Msg string
	Err error
}

func (e *RequestError) Error() string { return fmt.Sprintf("%s %s: %s", e.Method, e.URL, e.Msg) }

func (e *RequestError) Unwrap() error { return e.Err }

// ErrHeadersTooLarge is returned when a response has more headers than
// the client accepts (MaxResponseHeaderBytes, MaxResponseHeaders).
var ErrHeadersTooLarge = errors.New("the response headers exceed the client's limit")

// headersTooLarge recognises net/http's error for a header block over
// MaxResponseHeaderBytes, which it does not export.
func headersTooLarge(err error) bool {
	return err != nil && strings.Contains(err.Error(), "server response headers exceeded")
}

func headerCount(h http.Header) int {
	n := 0
	for _, vs := range h {
		n += len(vs)
	}
	return n
}

// capHeaders keeps the first MaxResponseHeaders values (in key order is
// not defined for a map: any subset tells the operator what was sent).
func capHeaders(h http.Header) http.Header {
	out := http.Header{}
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			if n++; n > MaxResponseHeaders {
				return out
			}
			out[k] = append(out[k], v)
		}
	}
	return out
}

// capValue shortens a header value for the transcript.
func capValue(v string) string {
	if len(v) <= MaxRecordedHeaderValue {
		return v
	}
	return fmt.Sprintf("%s… [%d bytes in all]", v[:MaxRecordedHeaderValue], len(v))
}

// refusedRealm recognises oras-go's refusal of a challenge's realm (a
// blocked address, http after https): the same challenge comes back on a
// retry, so it is permanent. oras-go does not type these errors.
func refusedRealm(err error) bool {
	return err != nil && strings.Contains(err.Error(), "bearer realm ")
}
