// Package client sends the HTTP requests of the step vocabulary to one
// registry: retries (go-retryablehttp), bounded body reads, and a transcript
// entry per request with secrets redacted.
package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"oras.land/oras-go/v2/registry/remote/auth"

	"github.com/ocicaps/ocicaps/results"
)

// Options tune one client. Zero values take the defaults below.
type Options struct {
	// RetryMax is the number of retries after the first attempt; zero
	// takes the default and a negative value means no retries.
	RetryMax     int
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// Timeout bounds one attempt, body included.
	Timeout time.Duration
	// MaxRetryAfter caps a Retry-After wait; longer requests are not
	// retried.
	MaxRetryAfter time.Duration
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
}

// Defaults.
const (
	DefaultRetryMax      = 3
	DefaultRetryWaitMin  = 200 * time.Millisecond
	DefaultRetryWaitMax  = 5 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
	DefaultTimeout       = 30 * time.Second
	DefaultMaxBody       = 4 << 20
	// OrphanBudget bounds, in all, the closing of orphaned upload
	// sessions once the caller's context has ended.
	OrphanBudget = 2 * time.Second
)

// Client talks to one registry.
type Client struct {
	base          *url.URL
	http          *retryablehttp.Client
	maxBody       int64
	maxRetryAfter time.Duration
	timeout       time.Duration
	secrets       *secrets
}

// New returns a client for the registry at baseURL (scheme://host[:port]).
func New(baseURL string, opt Options) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("registry URL %q: not an absolute URL", baseURL)
	}
	if opt.RetryMax == 0 {
		opt.RetryMax = DefaultRetryMax
	}
	if opt.RetryMax < 0 {
		opt.RetryMax = 0
	}
	if opt.RetryWaitMin == 0 {
		opt.RetryWaitMin = DefaultRetryWaitMin
	}
	if opt.RetryWaitMax == 0 {
		opt.RetryWaitMax = DefaultRetryWaitMax
	}
	if opt.Timeout == 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxBody == 0 {
		opt.MaxBody = DefaultMaxBody
	}
	if opt.MaxRetryAfter == 0 {
		opt.MaxRetryAfter = DefaultMaxRetryAfter
	}
	tr := opt.Transport
	if tr == nil {
		t := newTransport(opt.DialContext)
		t.TLSClientConfig = opt.TLS
		tr = t
	}
	sec := &secrets{}
	at := newAuthTransport(u, guard{registryHost: u.Hostname(), next: tr}, opt.Credential, sec)
	at.client.BlockedRealmPrefixes = opt.BlockedRealmPrefixes
	tr = at
	c := &Client{base: u, maxBody: opt.MaxBody, maxRetryAfter: opt.MaxRetryAfter, timeout: opt.Timeout, secrets: sec}
	rc := retryablehttp.NewClient()
	rc.Logger = nil // the transcript is the log; the default logger would print URLs to stderr
	rc.RetryMax = opt.RetryMax
	rc.RetryWaitMin = opt.RetryWaitMin
	rc.RetryWaitMax = opt.RetryWaitMax
	// Keep the final response of an exhausted retry (e.g. the last 503) so
	// the verdict can name it, instead of retryablehttp's generic error.
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	rc.CheckRetry = c.checkRetry
	rc.Backoff = c.backoff
	rc.HTTPClient = &http.Client{
		Transport: recorder{next: tr},
		Timeout:   opt.Timeout,
		// Registries answer with Location headers that the steps follow
		// explicitly (upload sessions); automatic redirects would hide them.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	c.http = rc
	return c, nil
}

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

// Close releases idle connections.
func (c *Client) Close() { c.http.HTTPClient.CloseIdleConnections() }

// Request is one request of a scenario.
type Request struct {
	Method string
	// Target is a path such as /v2/ (joined to the registry URL) or an
	// absolute URL (a Location header).
	Target string
	Header http.Header
	Body   []byte
	// Cleanup marks requests that undo what a scenario created.
	Cleanup bool
}

// Response is the final answer to a request, its body read in full (up to
// the client's limit).
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// URL is the absolute URL that was requested.
	URL *url.URL
	// AuthNote says, for a 401 or 403, what was presented to the registry
	// (nothing, refused credentials, a token the token service would not
	// give): the part of the answer the status alone does not tell.
	AuthNote string
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

// ErrBodyTooLarge is returned when a response body exceeds the limit.
var ErrBodyTooLarge = errors.New("response body exceeds the read limit")

// Do sends req with retries and returns the final response and the
// transcript entry describing it. The exchange is filled in also when err is
// not nil. Every secret the client knows is scrubbed from all three.
func (c *Client) Do(ctx context.Context, req Request) (*Response, results.Exchange, error) {
	if (req.Method == http.MethodPost || req.Method == http.MethodPut) && ctx.Err() == nil {
		var stop func()
		ctx, stop = graceful(ctx, OrphanBudget)
		defer stop()
	}
	resp, ex, err := c.do(ctx, req)
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

// graceful is ctx, except that when ctx ends the request may go on for
// grace more. A POST or PUT in flight at an interrupt may already have made
// something on the registry (an upload session, a blob, a manifest);
// cancelling it at once loses the answer that names it, and with it the
// clean-up. No new request starts after ctx ended: Do checks that first.
func graceful(ctx context.Context, grace time.Duration) (context.Context, func()) {
	g, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		time.AfterFunc(grace, func() { cancel(context.Cause(ctx)) })
	})
	return g, func() { stop(); cancel(nil) }
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
	resp, err := c.http.Do(hr)
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

// readBody reads at most limit+1 bytes of the body (one more than allowed
// tells a body that is too large). A Content-Length within the limit sizes
// the buffer at once: growing it by doubling costs a 4 MiB manifest
// several allocations of fresh memory, each cleared, and the garbage
// collector's work after them.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	r := io.LimitReader(resp.Body, limit+1)
	n := resp.ContentLength
	if n <= 0 || n > limit {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, n+1) // +1: room to see EOF without growing
	for {
		if len(b) == cap(b) { // longer than its Content-Length said
			b = append(b, 0)[:len(b)]
		}
		m, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// cancelOrphans closes upload sessions that retried attempts opened. Their
// outcome is not part of any verdict: the registry may well refuse, and
// sessions opened by attempts whose answer never arrived cannot be known at
// all (docs/reliability.md).
func (c *Client) cancelOrphans(ctx context.Context, orphans []string) {
	if len(orphans) == 0 {
		return
	}
	octx := context.WithoutCancel(ctx)
	if ctx.Err() != nil {
		// An interrupted run does not wait on a registry that never
		// answers: the orphans get the same short budget as clean-ups.
		var cancel context.CancelFunc
		octx, cancel = context.WithTimeout(octx, OrphanBudget)
		defer cancel()
	}
	for _, o := range orphans {
		req, err := http.NewRequestWithContext(octx, http.MethodDelete, o, nil)
		if err != nil {
			continue
		}
		if resp, err := c.http.HTTPClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
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

// secretHeaders never appear in a transcript with their values.
var secretHeaders = map[string]bool{
	"Authorization":        true,
	"Proxy-Authorization":  true,
	"Cookie":               true,
	"Set-Cookie":           true,
	"X-Registry-Auth":      true,
	"X-Auth-Token":         true,
	"X-Subject-Token":      true,
	"X-Amz-Security-Token": true,
	"X-Api-Key":            true,
	"X-Access-Token":       true,
}

// Redacted replaces secret header values.
const Redacted = "[REDACTED]"

// RedactHeaders copies h with secret values replaced.
func RedactHeaders(h http.Header) map[string][]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		if secretHeaders[ck] {
			out[ck] = []string{Redacted}
			continue
		}
		if ck == "Location" || ck == "Content-Location" {
			// A redirect to storage may carry a signature or token in its
			// query.
			red := make([]string, len(vs))
			for i, v := range vs {
				red[i] = redactLocation(v)
			}
			out[ck] = red
			continue
		}
		cp := make([]string, len(vs))
		for i, v := range vs {
			cp[i] = capValue(v)
		}
		out[ck] = cp
	}
	return out
}

// RedactURL drops user info and query values that may carry secrets
// (signed storage URLs, upload state tokens) while keeping the keys.
func RedactURL(u *url.URL) string {
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			if isSecretParam(k) {
				q[k] = []string{Redacted}
			}
		}
		c.RawQuery = encodeQuery(q, u.RawQuery)
	}
	return c.String()
}

// redactLocation redacts a URL in a header only when it holds something
// secret, so that ordinary Locations (upload state included) stay byte for
// byte what the registry sent.
func redactLocation(v string) string {
	u, err := url.Parse(v)
	if err != nil {
		return Redacted
	}
	secret := u.User != nil
	for k := range u.Query() {
		secret = secret || isSecretParam(k)
	}
	if !secret {
		return v
	}
	return RedactURL(u)
}

func isSecretParam(k string) bool {
	k = strings.ToLower(k)
	for _, s := range []string{"token", "signature", "sig", "secret", "password", "credential", "x-amz-security-token"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// encodeQuery re-encodes q in the key order of the original query so that
// transcripts stay stable and readable.
func encodeQuery(q url.Values, raw string) string {
	var b bytes.Buffer
	seen := map[string]bool{}
	for _, part := range strings.Split(raw, "&") {
		k, _, _ := strings.Cut(part, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			if v == Redacted {
				b.WriteString(v)
			} else {
				b.WriteString(url.QueryEscape(v))
			}
		}
	}
	return b.String()
}
