package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/ocicaps/ocicaps/results"
)

// Redirects of blob and manifest reads are followed the way registry
// clients (containerd, oras-go, go-containerregistry) follow them: cloud
// registries and Distribution on object storage answer a blob GET with a
// 307 to storage on another host, often a signed URL. Only GET and HEAD of
// /v2/<name>/blobs/<digest> and /v2/<name>/manifests/<reference> are
// followed; every other answer with a Location (upload sessions) is the
// scenario's to read.
//
// What a hop may carry: a hop to the registry's own origin (scheme, host
// and port) goes through the auth flow like any request; a hop to another
// origin goes through a client without it, and without the credential
// headers of the request (Authorization, cookies, tokens), so that nothing
// of this registry's reaches storage. A hop from https to http, to a
// scheme other than http(s), to a link-local or metadata address, back to
// a URL already visited, or beyond MaxRedirects is not sent: the registry
// sent clients where they cannot go, and the response says so
// (Response.RedirectRefused).

// MaxRedirects is the most redirects one request follows: net/http's own
// limit, which registry clients built on it share.
const MaxRedirects = 10

// followedPathRE matches the reads whose redirects are followed.
var followedPathRE = regexp.MustCompile(`^/v2/.+/(?:blobs/[A-Za-z0-9_+.-]+:[A-Za-z0-9=_-]+|manifests/[^/]+)$`)

func redirectStatus(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// follows reports whether the answer to req is a redirect to follow.
func follows(req Request, resp *Response) bool {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return false
	}
	return resp != nil && redirectStatus(resp.Status) && resp.URL != nil && followedPathRE.MatchString(resp.URL.Path)
}

// foreignKey marks a request to another origin: Client.do sends it through
// the client without the auth flow.
type foreignKey struct{}

// httpFor returns the retrying client for a request: the one without the
// auth flow for a hop to another origin.
func (c *Client) httpFor(ctx context.Context) *retryablehttp.Client {
	if ctx.Value(foreignKey{}) != nil && c.foreign != nil {
		return c.foreign
	}
	return c.http
}

// newForeign returns a client like rc whose transport has no auth flow:
// base under the guard, with the same retries and timeouts.
func newForeign(rc *retryablehttp.Client, base http.RoundTripper) *retryablehttp.Client {
	f := retryablehttp.NewClient()
	f.Logger = nil
	f.RetryMax, f.RetryWaitMin, f.RetryWaitMax = rc.RetryMax, rc.RetryWaitMin, rc.RetryWaitMax
	f.ErrorHandler, f.CheckRetry, f.Backoff = rc.ErrorHandler, rc.CheckRetry, rc.Backoff
	f.HTTPClient = &http.Client{
		// An empty registry host: the guard refuses Basic credentials in
		// cleartext to any host, though none are ever added here.
		Transport:     recorder{next: guard{next: base}},
		Timeout:       rc.HTTPClient.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return f
}

// doFollowing is do, following the redirects of blob and manifest reads.
// The exchange keeps the request as the scenario sent it, the final answer
// as its status and headers, and every request of the chain in Hops.
func (c *Client) doFollowing(ctx context.Context, req Request) (*Response, results.Exchange, error) {
	resp, ex, err := c.do(ctx, req)
	if err != nil || !follows(req, resp) {
		return resp, ex, err
	}
	origin := resp.URL
	first := ex
	c.secrets.scrubExchange(&first)
	top := ex
	top.Hops = []results.Exchange{hopRecord(first)}
	seen := map[string]bool{origin.String(): true}
	var chain []string
	cur := resp
	for {
		next, why := c.nextHop(cur, seen, len(chain))
		if why != "" {
			return c.refuse(top, cur, origin, chain, next, why)
		}
		seen[next.String()] = true
		chain = append(chain, RedactURL(next))
		hctx := ctx
		if !SameOrigin(next, c.base) {
			hctx = context.WithValue(ctx, foreignKey{}, true)
		}
		hresp, hex, herr := c.do(hctx, Request{Method: req.Method, Target: next.String(), Header: hopHeader(req.Header, next, c.base), Cleanup: req.Cleanup})
		c.secrets.scrubExchange(&hex)
		top.Hops = append(top.Hops, hopRecord(hex))
		top.DurationMS += hex.DurationMS
		var pe *PolicyError
		if herr != nil && errors.As(herr, &pe) {
			// Refused before any dial (a name that resolves to a
			// metadata address): the registry's redirect, not our
			// network, is at fault.
			top.Hops = top.Hops[:len(top.Hops)-1]
			return c.refuse(top, cur, origin, chain[:len(chain)-1], next, pe.Reason)
		}
		if herr != nil {
			top.Status, top.ResponseHeaders, top.Error = 0, nil, hex.Error
			return nil, top, fmt.Errorf("following the redirect to %s: %w", RedactURL(next), herr)
		}
		cur = hresp
		if !redirectStatus(hresp.Status) {
			break
		}
	}
	top.Status, top.ResponseHeaders = cur.Status, RedactHeaders(cur.Header)
	final := *cur
	final.URL, final.Redirects = origin, chain
	return &final, top, nil
}

// hopRecord is ex as one hop of a chain: without a chain of its own.
func hopRecord(ex results.Exchange) results.Exchange {
	ex.Hops = nil
	return ex
}

// refuse ends a chain at a redirect that is not followed: the answer is
// that redirect, with why in RedirectRefused and the refused target as
// the chain's last hop, never sent (Error says why).
func (c *Client) refuse(top results.Exchange, cur *Response, origin *url.URL, chain []string, next *url.URL, why string) (*Response, results.Exchange, error) {
	target := cur.Header.Get("Location")
	if next != nil {
		target = RedactURL(next)
	} else {
		target = redactLocation(target)
	}
	top.Hops = append(top.Hops, results.Exchange{Method: top.Method, URL: c.secrets.Scrub(target), Error: "not sent: " + why})
	top.Status, top.ResponseHeaders = cur.Status, RedactHeaders(cur.Header)
	r := *cur
	r.URL, r.Redirects = origin, append(chain, c.secrets.Scrub(target))
	r.RedirectRefused = fmt.Sprintf("redirected to %s, where a registry client cannot follow: %s", c.secrets.Scrub(target), why)
	return &r, top, nil
}

// nextHop resolves the Location of a redirect and says why it must not be
// followed, if it must not: hops already taken n.
func (c *Client) nextHop(cur *Response, seen map[string]bool, n int) (*url.URL, string) {
	loc := cur.Header.Get("Location")
	if loc == "" {
		return nil, "the redirect has no Location"
	}
	ref, err := url.Parse(loc)
	if err != nil {
		return nil, "the Location is not a URL"
	}
	next := cur.URL.ResolveReference(ref)
	switch {
	case n >= MaxRedirects:
		return next, fmt.Sprintf("more than %d redirects", MaxRedirects)
	case next.Scheme != "http" && next.Scheme != "https":
		return next, fmt.Sprintf("%q is not an http or https URL", next.Scheme+":")
	case next.Host == "":
		return next, "the Location names no host"
	case cur.URL.Scheme == "https" && next.Scheme == "http":
		return next, "it goes from https to plain http"
	case seen[next.String()]:
		return next, "a redirect loop (this URL was already visited)"
	}
	if why := forbiddenHost(next.Hostname()); why != "" {
		return next, why
	}
	next.User = nil // user info in a Location is never sent
	return next, ""
}

// SameOrigin compares scheme, host and port, default ports made explicit:
// where credentials may go, and where a list's Link may lead.
func SameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(hostPort(a), hostPort(b))
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return u.Hostname() + ":443"
	case "http":
		return u.Hostname() + ":80"
	}
	return u.Host
}

// hopHeader is the request's header for a hop to next: all of it on the
// registry's origin, without credentials, cookies and tokens anywhere else.
func hopHeader(h http.Header, next, registry *url.URL) http.Header {
	out := h.Clone()
	if SameOrigin(next, registry) {
		return out
	}
	for k := range out {
		if secretHeaders[http.CanonicalHeaderKey(k)] {
			delete(out, k)
		}
	}
	return out
}
