package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"oras.land/oras-go/v2/registry/remote/auth"
	"oras.land/oras-go/v2/registry/remote/errcode"

	"github.com/ocicaps/ocicaps/internal/names"
	"github.com/ocicaps/ocicaps/results"
)

// The registry auth flow (401 challenge → Basic, or a bearer token from the
// realm the challenge names, cached per scope and fetched again when the
// registry refuses a cached one) is oras-go's auth.Client. It sits inside
// the retrying client as its transport, so that retries wrap the whole
// exchange (a token service that answers 503 is retried like a registry
// that does), and so that the transcript keeps recording one exchange per
// request, with the token requests beside it rather than mixed in.

// authTransport authenticates requests to one registry.
type authTransport struct {
	host   string // host[:port] of the registry; credentials go nowhere else
	client *auth.Client
	// secrets learns the credentials handed to the auth flow.
	secrets *secrets
	// credentialed is set once the flow got configured credentials for
	// the host: every token it holds was obtained with them, also one a
	// concurrent request fetched (oras-go's cache fetches once for all
	// waiting requests, so only one of them sees the credentials asked).
	credentialed atomic.Bool
	// expiresIn is the expires_in of the last token answer, -1 for none.
	expiresIn atomic.Int64
}

func newAuthTransport(registry *url.URL, base http.RoundTripper, cred auth.CredentialFunc, sec *secrets) *authTransport {
	t := &authTransport{host: registry.Host, secrets: sec}
	t.expiresIn.Store(-1)
	t.client = &auth.Client{
		Client: &http.Client{
			Transport: &observer{base: base, secrets: sec, expiresIn: &t.expiresIn},
			// Neither registry nor token requests follow redirects: the steps
			// follow Locations themselves, and a request to another host
			// starts afresh, without the credentials of this one.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		Cache:      auth.NewCache(),
		Credential: t.credential(cred),
	}
	return t
}

// credential returns cred's answer for the registry's own host only, so a
// request sent to another host (a blob Location on a storage service) can
// never carry this registry's credentials, whatever it challenges with.
func (t *authTransport) credential(cred auth.CredentialFunc) auth.CredentialFunc {
	return func(ctx context.Context, hostport string) (auth.Credential, error) {
		if cred == nil || hostport != t.host {
			return auth.EmptyCredential, nil
		}
		c, err := cred(ctx, hostport)
		if err != nil {
			return auth.EmptyCredential, fmt.Errorf("looking up the credentials for %s: %w", hostport, err)
		}
		t.secrets.addCredential(c)
		if c != auth.EmptyCredential {
			t.credentialed.Store(true)
		}
		if tr := traceOf(ctx); tr != nil && c != auth.EmptyCredential {
			tr.mu.Lock()
			tr.credentialsUsed = true
			tr.mu.Unlock()
		}
		return c, nil
	}
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	tr := traceOf(ctx)
	if tr == nil {
		tr = &authTrace{}
		ctx = context.WithValue(ctx, authTraceKey{}, tr)
	}
	tr.begin(req)
	if req.URL.Host == t.host {
		ctx = auth.WithScopesForHost(ctx, t.host, Scopes(req.Method, req.URL)...)
	}
	r := req.WithContext(ctx)
	// After a challenge the request is sent again: its body must be
	// readable twice.
	if r.Body != nil && r.Body != http.NoBody && r.GetBody == nil {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("reading the request body: %w", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	resp, err := t.client.Do(r)
	tr.mu.Lock()
	tr.credentialsUsed = tr.credentialsUsed || t.credentialed.Load()
	tr.expiresIn = int(t.expiresIn.Load())
	tr.mu.Unlock()
	if err == nil {
		return resp, nil
	}
	// The registry challenged and the challenge could not be answered
	// because credentials are missing or were refused by the token
	// service: that is the registry's answer (401), not a transport
	// failure to retry. Hand back the challenge it sent, with the reason.
	if refused := tr.refused(err); refused != nil {
		refused.Request = req
		return refused, nil
	}
	return nil, err
}

// observer sees every request the auth client sends: the registry request
// (whose 401 it keeps, in case the challenge cannot be answered) and the
// token requests (which it records without headers or bodies).
type observer struct {
	base      http.RoundTripper
	secrets   *secrets      // learns every token the flow presents
	expiresIn *atomic.Int64 // expires_in of the last token answer
}

func (o *observer) RoundTrip(req *http.Request) (*http.Response, error) {
	tr := traceOf(req.Context())
	start := time.Now()
	o.secrets.addAuthorization(req.Header.Get("Authorization"))
	resp, err := o.base.RoundTrip(req)
	if tr == nil {
		return resp, err
	}
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if req.URL.String() == tr.target {
		tr.sentScheme, _, _ = strings.Cut(req.Header.Get("Authorization"), " ")
		if err == nil && resp.StatusCode == http.StatusUnauthorized {
			// A challenge is small; keep it whole so it can be handed back.
			body, rerr := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			if rerr != nil {
				return nil, fmt.Errorf("reading the registry's challenge: %w", rerr)
			}
			resp.Body = io.NopCloser(bytes.NewReader(body))
			tr.challengeNote = challengeNote(resp.Header)
			tr.challenge = &http.Response{
				Status: resp.Status, StatusCode: resp.StatusCode, Proto: resp.Proto, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
				Header: resp.Header.Clone(), ContentLength: int64(len(body)), Body: io.NopCloser(bytes.NewReader(body)),
			}
		}
		return resp, err
	}
	// A request to the token service (or anything else the auth flow
	// asks): recorded as method, URL without secret query values, status
	// and time. Never its headers (Basic credentials) nor its body (the
	// token, or a refresh token in an OAuth2 form).
	ex := results.Exchange{Method: req.Method, URL: RedactURL(req.URL), Attempts: 1, DurationMS: time.Since(start).Milliseconds()}
	if err == nil && resp.StatusCode == http.StatusOK {
		var exp int
		if exp, err = readTokenAnswer(req, resp); err == nil {
			o.expiresIn.Store(int64(exp))
		} else {
			ex.Status, resp = http.StatusOK, nil
		}
	}
	if err != nil {
		ex.Error = err.Error()
	} else {
		ex.Status = resp.StatusCode
	}
	tr.token = append(tr.token, ex)
	return resp, err
}

type authTraceKey struct{}

// authTrace follows the auth flow of one client.Do call, over all of its
// attempts.
type authTrace struct {
	mu sync.Mutex
	// Per attempt.
	target          string         // URL of the registry request
	challenge       *http.Response // the registry's last 401, kept whole
	sentScheme      string         // scheme of the Authorization the registry last got ("" for none)
	credentialsUsed bool           // configured credentials were handed to the flow
	problem         string         // why a challenge could not be answered
	challengeNote   string         // why the registry's challenge cannot be answered, if it cannot
	expiresIn       int            // expires_in of the last token answer, -1 for none
	// Over all attempts.
	token []results.Exchange
}

func traceOf(ctx context.Context) *authTrace {
	tr, _ := ctx.Value(authTraceKey{}).(*authTrace)
	return tr
}

func (tr *authTrace) begin(req *http.Request) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.target = req.URL.String()
	tr.challenge, tr.sentScheme, tr.credentialsUsed, tr.problem, tr.challengeNote = nil, "", false, "", ""
}

// refused returns the registry's challenge when err says it could not be
// answered for want of accepted credentials, and nil for any other error.
func (tr *authTrace) refused(err error) *http.Response {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.challenge == nil {
		return nil
	}
	var er *errcode.ErrorResponse
	switch {
	case tr.challengeNote != "":
		// A Bearer challenge without a realm: oras-go tries a token URL
		// made of the rest, which the guard refuses. The registry's
		// answer is the 401; the note names its challenge.
		tr.problem = tr.challengeNote
	case errors.Is(err, auth.ErrBasicCredentialNotFound):
		tr.problem = "no credentials are configured to answer its Basic challenge"
	case errors.As(err, &er) && (er.StatusCode == http.StatusUnauthorized || er.StatusCode == http.StatusForbidden):
		what := "the token service refused the credentials"
		if !tr.credentialsUsed {
			what = "the token service refused an anonymous token"
		}
		u := ""
		if er.URL != nil {
			u = " " + RedactURL(er.URL)
		}
		tr.problem = fmt.Sprintf("%s: %s%s answered %d %s", what, er.Method, u, er.StatusCode, http.StatusText(er.StatusCode))
		if len(er.Errors) > 0 {
			e := er.Errors[0]
			tr.problem += " (" + e.Code
			if e.Message != "" {
				tr.problem += ": " + e.Message
			}
			tr.problem += ")"
		}
	default:
		return nil
	}
	c := tr.challenge
	tr.challenge = nil
	return c
}

// note says, for a 401 or 403, what the client presented.
func (tr *authTrace) note(status int) string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if status != http.StatusUnauthorized && status != http.StatusForbidden {
		return ""
	}
	switch {
	case tr.problem != "":
		return tr.problem
	case tr.sentScheme == "" && tr.challengeNote != "":
		return tr.challengeNote
	case tr.sentScheme == "":
		return "no credentials were sent"
	case strings.EqualFold(tr.sentScheme, "basic"):
		return "it refused the configured credentials (Basic)"
	case tr.credentialsUsed && tr.expiresIn == 0:
		return "it refused the bearer token obtained with the configured credentials, which the token service issued with expires_in: 0 (good for one request at most): requests side by side share a token, so the registry refuses it to all but one (concurrency: 1 in registries.yaml avoids that)"
	case tr.credentialsUsed:
		return "it refused the bearer token obtained with the configured credentials"
	}
	return "it refused the anonymous bearer token"
}

// scheme is the scheme of the Authorization the registry last got, "" for
// none.
func (tr *authTrace) scheme() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.sentScheme
}

func (tr *authTrace) tokenExchanges() []results.Exchange {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return append([]results.Exchange(nil), tr.token...)
}

// Scopes of the distribution token protocol that a request needs, derived
// from its path the way CNCF Distribution authorizes it: reads need pull,
// writes pull and push, deletes delete, a cross-repository mount also pull
// on the repository named in from=, and the catalog registry:catalog:*.
// Asking for them up front lets one token serve every request of a scope;
// the registry's own challenge may still add more (oras-go merges them).
func Scopes(method string, u *url.URL) []string {
	if u.Path == "/v2/_catalog" {
		return []string{"registry:catalog:*"}
	}
	m := repoPathRE.FindStringSubmatch(u.Path)
	if m == nil || !names.Repository(m[1]) {
		return nil
	}
	var actions []string
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		actions = []string{auth.ActionPull}
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		actions = []string{auth.ActionPull, auth.ActionPush}
	case http.MethodDelete:
		actions = []string{auth.ActionDelete}
	default:
		return nil
	}
	scopes := []string{auth.ScopeRepository(m[1], actions...)}
	if from := u.Query().Get("from"); from != "" && method == http.MethodPost && names.Repository(from) {
		scopes = append(scopes, auth.ScopeRepository(from, auth.ActionPull))
	}
	return auth.CleanScopes(scopes)
}

var (
	// The lazy name takes the shortest repository that leaves a valid
	// route after it, so names holding "blobs" or "tags" still split right.
	repoPathRE = regexp.MustCompile(`^/v2/(.+?)/(?:manifests/[^/]+|blobs/uploads/?[^/]*|blobs/[^/]+|tags/list|referrers/[^/]+)$`)
)
