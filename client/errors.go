package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
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

// describe turns a transport error into a sentence an operator can act on.
func describe(err error, attempts int) string {
	var ne net.Error
	var ue *url.Error
	msg := err.Error()
	if errors.As(err, &ue) {
		// url.Error repeats the method and URL the caller already names.
		msg = ue.Err.Error()
	}
	var pe *PolicyError
	switch {
	case errors.As(err, &pe):
		msg = pe.Error()
	case headersTooLarge(err):
		msg = fmt.Sprintf("%v (%d bytes, MaxResponseHeaderBytes)", ErrHeadersTooLarge, MaxResponseHeaderBytes)
	case plainHTTPAnswer(err):
		msg = plainHTTPHint(err)
	case errors.Is(err, context.Canceled):
		msg = "cancelled"
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		msg = "timed out: " + msg
	}
	if attempts > 1 {
		msg = fmt.Sprintf("%s (after %d attempts)", msg, attempts)
	}
	return msg
}
