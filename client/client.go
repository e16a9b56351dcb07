// Package client sends the HTTP requests of the step vocabulary to one
// registry: retries (go-retryablehttp), bounded body reads, and a transcript
// entry per request with secrets redacted.
//
// One concern per file, read top down as the transport stack a request
// goes through (docs/architecture.md):
//
//	client.go     New builds the stack; Do sends a request and records it
//	retry.go      what is retried; how long to wait is the policy's (package retry)
//	recorder.go   each attempt of a request, and the sessions retries orphaned
//	auth.go       challenge → credentials or token → resend, own host only
//	guard.go      addresses and header sizes refused
//	transport.go  pooled connections and TLS
//
// and beside it: response.go (Request, Response and Describe), redact.go
// (secrets by shape), scrub.go (secrets by value), errors.go (what went
// wrong, in an operator's words), graceful.go (a POST or PUT outlives an
// interrupt briefly).
package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"oras.land/oras-go/v2/registry/remote/auth"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/retry"
)

// Options tune one client. Zero values take the defaults below.
type Options struct {
	// Retry is the retry policy, taken as it is; nil means
	// retry.Default.
	Retry *retry.Policy
	// Timeout bounds one attempt, body included.
	Timeout time.Duration
	// MaxBody is the most bytes of a response body that are read; a longer
	// body is an error rather than unbounded memory.
	MaxBody int64
	// Transport replaces the default pooled transport (tests).
	Transport http.RoundTripper
	// TLS configures HTTPS (extra roots, client certificate); nil means
	// the system's roots. It applies to the default transport only.
	TLS *tls.Config
	// DialContext replaces the default transport's dialer (tests: a hook
	// that records every address). Forbidden addresses are refused before
	// it is called (guard.go).
	DialContext DialFunc
	// BlockedRealmPrefixes are the addresses a token realm on another
	// host may not be (oras-go's auth.Client option); nil is oras-go's
	// default, which includes loopback and link-local.
	BlockedRealmPrefixes []netip.Prefix
	// Credential answers the registry's challenges (auth.go); nil means
	// anonymous, which still fetches anonymous bearer tokens.
	Credential auth.CredentialFunc
	// RateLimit paces every request on the wire (ratelimit.go).
	RateLimit RateLimit
}

// Defaults.
const (
	DefaultTimeout = 30 * time.Second
	DefaultMaxBody = 4 << 20
	// OrphanBudget bounds, in all, the closing of orphaned upload
	// sessions once the caller's context has ended.
	OrphanBudget = 2 * time.Second
)

// Client talks to one registry.
type Client struct {
	base    *url.URL
	http    *retryablehttp.Client
	maxBody int64
	timeout time.Duration
	secrets *secrets
	// foreign sends the hops of a redirect to another origin: no auth
	// flow (redirect.go).
	foreign *retryablehttp.Client
	// throttle paces the requests and counts 429s (ratelimit.go).
	throttle *throttle
	// idle is the transport under the wrappers (recorder, auth, throttle),
	// which do not pass CloseIdleConnections on: Close closes its
	// connections itself.
	idle interface{ CloseIdleConnections() }
}

// New returns a client for the registry at baseURL (scheme://host[:port]).
func New(baseURL string, opt Options) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("registry URL %q: not an absolute URL", baseURL)
	}
	policy := retry.Default
	if opt.Retry != nil {
		policy = *opt.Retry
	}
	if opt.Timeout == 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxBody == 0 {
		opt.MaxBody = DefaultMaxBody
	}
	tr := opt.Transport
	if tr == nil {
		t := newTransport(opt.DialContext)
		t.TLSClientConfig = opt.TLS
		tr = t
	}
	idle, _ := tr.(interface{ CloseIdleConnections() })
	th := newThrottle(tr, opt.RateLimit)
	tr = th
	base := tr
	sec := &secrets{}
	at := newAuthTransport(u, guard{registryHost: u.Hostname(), next: tr}, opt.Credential, sec)
	at.client.BlockedRealmPrefixes = opt.BlockedRealmPrefixes
	tr = at
	c := &Client{base: u, maxBody: opt.MaxBody, timeout: opt.Timeout, secrets: sec, throttle: th, idle: idle}
	rc := retryablehttp.NewClient()
	rc.Logger = nil // the transcript is the log; the default logger would print URLs to stderr
	rc.RetryMax = policy.Max
	rc.RetryWaitMin = policy.MinWait
	rc.RetryWaitMax = policy.MaxWait
	// Keep the final response of an exhausted retry (e.g. the last 503) so
	// the verdict can name it, instead of retryablehttp's generic error.
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	rc.CheckRetry = checkRetry(policy)
	rc.Backoff = policy.Backoff
	rc.HTTPClient = &http.Client{
		Transport: recorder{next: tr},
		Timeout:   opt.Timeout,
		// Registries answer with Location headers that the steps follow
		// explicitly (upload sessions); automatic redirects would hide them.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c.http = rc
	c.foreign = newForeign(rc, base)
	return c, nil
}

// Close releases idle connections. Without it they stay open until the
// transport's idle timeout: in a fleet, every registry that finished in the
// last 90 s kept its connections, a file descriptor and two goroutines
// each (docs/benchmarks.md, 2026-12-07).
func (c *Client) Close() {
	c.http.HTTPClient.CloseIdleConnections()
	if c.idle != nil {
		c.idle.CloseIdleConnections()
	}
}

// Resolve turns a path or a Location value into an absolute URL on the
// registry.
func (c *Client) Resolve(target string) (*url.URL, error) {
	ref, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("bad request target %q: %w", target, err)
	}
	return c.base.ResolveReference(ref), nil
}

// Do sends req with retries and returns the final response and the
// transcript entry describing it. The exchange is filled in also when err is
// not nil. Every secret the client knows is scrubbed from all three.
func (c *Client) Do(ctx context.Context, req Request) (*Response, results.Exchange, error) {
	if (req.Method == http.MethodPost || req.Method == http.MethodPut) && ctx.Err() == nil {
		var stop func()
		ctx, stop = graceful(ctx, OrphanBudget)
		defer stop()
	}
	resp, ex, err := c.doFollowing(ctx, req)
	c.secrets.scrubExchange(&ex)
	if resp != nil {
		c.secrets.scrubResponse(resp)
	}
	var re *RequestError
	if errors.As(err, &re) {
		re.URL, re.Msg = c.secrets.Scrub(re.URL), c.secrets.Scrub(re.Msg)
	}
	return resp, ex, err
}

// Scrub replaces every secret this client knows (configured credentials,
// tokens issued so far) in v, for strings made outside the client.
func (c *Client) Scrub(v string) string { return c.secrets.Scrub(v) }

func (c *Client) do(ctx context.Context, req Request) (*Response, results.Exchange, error) {
	start := time.Now()
	ex := results.Exchange{Method: req.Method, Cleanup: req.Cleanup}
	u, err := c.Resolve(req.Target)
	if err != nil {
		ex.URL, ex.Error = req.Target, err.Error()
		return nil, ex, err
	}
	ex.URL = RedactURL(u)
	log := &attemptLog{}
	ctx = context.WithValue(ctx, attemptLogKey{}, log)
	trace := &authTrace{}
	ctx = context.WithValue(ctx, authTraceKey{}, trace)
	var body any
	if req.Body != nil {
		body = req.Body
	}
	hr, err := retryablehttp.NewRequestWithContext(ctx, req.Method, u.String(), body)
	if err != nil {
		ex.Error = err.Error()
		return nil, ex, &RequestError{Method: req.Method, URL: ex.URL, Msg: err.Error(), Err: err}
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			hr.Header.Add(k, v)
		}
	}
	ex.RequestHeaders = RedactHeaders(hr.Header)
	resp, err := c.httpFor(ctx).Do(hr)
	if err != nil && ctx.Err() != nil {
		// Say why the context ended (interrupt, deadline), not just that
		// it did.
		err = context.Cause(ctx)
	}
	ex.Attempts = len(log.outcomes)
	if n := len(log.outcomes); n > 1 {
		ex.Retries = log.outcomes[:n-1]
	}
	c.cancelOrphans(ctx, log.orphans)
	ex.Auth = trace.tokenExchanges()
	if s := trace.scheme(); s != "" && hr.Header.Get("Authorization") == "" {
		// The auth flow added credentials below the transcript: say so,
		// with the scheme only.
		if ex.RequestHeaders == nil {
			ex.RequestHeaders = map[string][]string{}
		}
		ex.RequestHeaders["Authorization"] = []string{s + " " + Redacted}
	}
	if err != nil {
		ex.DurationMS = time.Since(start).Milliseconds()
		ex.Error = describe(err, ex.Attempts)
		return nil, ex, &RequestError{Method: req.Method, URL: ex.URL, Attempts: ex.Attempts, Msg: ex.Error, Err: err}
	}
	defer resp.Body.Close()
	if n := headerCount(resp.Header); n > MaxResponseHeaders {
		ex.Status = resp.StatusCode
		ex.ResponseHeaders = RedactHeaders(capHeaders(resp.Header))
		ex.Error = fmt.Sprintf("%v: %d header values, more than %d", ErrHeadersTooLarge, n, MaxResponseHeaders)
		return nil, ex, &RequestError{Method: req.Method, URL: ex.URL, Attempts: ex.Attempts, Msg: ex.Error, Err: ErrHeadersTooLarge}
	}
	data, err := readBody(resp, c.maxBody)
	ex.Status = resp.StatusCode
	ex.ResponseHeaders = RedactHeaders(resp.Header)
	ex.DurationMS = time.Since(start).Milliseconds()
	if note, ok := shortBody(resp, data, err); ok && ctx.Err() == nil {
		ex.Note, err = note, nil
	}
	if err != nil {
		if ctx.Err() != nil {
			err = context.Cause(ctx)
		}
		ex.Error = describe(err, 1) + " while reading the response body"
		if ne := net.Error(nil); errors.As(err, &ne) && ne.Timeout() {
			ex.Error = fmt.Sprintf("timed out after %s (timeouts.request) while reading the response body", c.timeout)
		}
		return nil, ex, &RequestError{Method: req.Method, URL: ex.URL, Attempts: ex.Attempts, Msg: ex.Error, Err: err}
	}
	if int64(len(data)) > c.maxBody {
		ex.Error = fmt.Sprintf("%v (%d bytes)", ErrBodyTooLarge, c.maxBody)
		return nil, ex, &RequestError{Method: req.Method, URL: ex.URL, Attempts: ex.Attempts, Msg: ex.Error, Err: ErrBodyTooLarge}
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data, URL: u, AuthNote: trace.note(resp.StatusCode)}, ex, nil
}
