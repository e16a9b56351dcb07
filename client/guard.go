package client

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
)

// Bounds on response headers, so that a registry sending thousands of
// headers, or one huge one, costs little memory and report space
// (docs/reliability.md).
const (
	// MaxResponseHeaderBytes bounds the header block read (the
	// transport's limit); a larger one ends the exchange with an error.
	MaxResponseHeaderBytes = 64 << 10
	// MaxResponseHeaders bounds the number of header values accepted.
	MaxResponseHeaders = 128
	// MaxRecordedHeaderValue is the most of one header value that a
	// transcript keeps; the rest is replaced by a note of its length.
	MaxRecordedHeaderValue = 1024
)

// PolicyError is a request ocicaps refuses to send: to a link-local or
// metadata address, or Basic credentials in cleartext to another host. It
// is permanent, never retried.
type PolicyError struct {
	URL    string
	Reason string
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("refused to send to %s: %s", e.URL, e.Reason)
}

// forbiddenNames are the metadata services reachable by name.
var forbiddenNames = map[string]bool{"metadata.google.internal": true, "metadata": true}

var forbiddenPrefixes = []netip.Prefix{
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("fd00:ec2::254/128"),
}

// forbiddenHost says why host (a name or an IP literal, no port) must
// never be contacted, or "".
func forbiddenHost(host string) string {
	h := strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if forbiddenNames[h] {
		return "a cloud metadata service"
	}
	if i := strings.IndexByte(h, '%'); i >= 0 {
		h = h[:i] // fe80::1%eth0
	}
	ip, err := netip.ParseAddr(h)
	if err != nil {
		return ""
	}
	for _, p := range forbiddenPrefixes {
		if p.Contains(ip.Unmap()) {
			return "a link-local or cloud metadata address"
		}
	}
	return ""
}

// guard refuses requests that must never leave: to forbidden hosts, and
// Basic credentials over plain HTTP to a host other than the registry's
// (a token realm named by a challenge). It sits under the auth flow, so
// it sees the token requests too.
type guard struct {
	registryHost string // hostname of the registry, no port
	next         http.RoundTripper
}

func (g guard) RoundTrip(req *http.Request) (*http.Response, error) {
	if why := forbiddenHost(req.URL.Hostname()); why != "" {
		closeBody(req)
		return nil, &PolicyError{URL: RedactURL(req.URL), Reason: why}
	}
	basic := strings.HasPrefix(strings.ToLower(req.Header.Get("Authorization")), "basic ")
	if basic && req.URL.Scheme != "https" && req.URL.Hostname() != g.registryHost {
		closeBody(req)
		return nil, &PolicyError{URL: RedactURL(req.URL), Reason: "Basic credentials go to a token realm on another host only over HTTPS"}
	}
	return g.next.RoundTrip(req)
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// DialFunc dials a connection (net.Dialer.DialContext's signature).
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// guardDial refuses forbidden addresses before dial is asked for them, so
// that a proxy or a test's dial hook never sees one.
func guardDial(dial DialFunc) DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			host = addr
		}
		if why := forbiddenHost(host); why != "" {
			return nil, &PolicyError{URL: addr, Reason: why}
		}
		return dial(ctx, network, addr)
	}
}

// refuseResolved is a net.Dialer Control hook: it refuses a name that
// resolved to a forbidden address (DNS pointing at 169.254.169.254).
func refuseResolved(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	if why := forbiddenHost(host); why != "" {
		return &PolicyError{URL: address, Reason: why}
	}
	return nil
}

// ForbiddenHost says why host (a name or an IP literal, no port) must
// never be contacted, or "": the rule the client's own requests follow,
// for others that decide where requests go (the client programs'
// NO_PROXY).
func ForbiddenHost(host string) string { return forbiddenHost(host) }
