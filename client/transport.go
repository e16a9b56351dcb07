// The bottom of the stack: pooled connections, TLS, the dialer that
// refuses forbidden addresses (guard.go).

package client

import (
	"net"
	"net/http"
	"time"
)

func newTransport(dial DialFunc) *http.Transport {
	if dial == nil {
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: refuseResolved}
		dial = d.DialContext
	}
	// Plain HTTP only for http:// URLs: the transport never changes the
	// scheme it is given, and redirects are not followed.
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            guardDial(dial),
		MaxResponseHeaderBytes: MaxResponseHeaderBytes,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           100,
		// As many as the scenarios of one registry in flight
		// (config.MaxConcurrency): fewer closes connections a moment
		// later wanted again.
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
}
