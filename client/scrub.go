package client

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"oras.land/oras-go/v2/registry/remote/auth"

	"github.com/ocicaps/ocicaps/results"
)

// minSecret is the shortest value scrubbed: replacing every "a" of a body
// because a password is "a" would destroy the evidence and hide nothing.
const minSecret = 4

// secrets are the values this client knows to be secret: the configured
// password and tokens (and their base64 and URL-encoded forms) and every
// token issued during the run. A registry that echoes what it received
// (in a body, a header, an error) must not make ocicaps print it.
type secrets struct {
	mu   sync.RWMutex
	vals []string
	seen map[string]bool
}

func (s *secrets) add(vs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	for _, v := range vs {
		for _, form := range []string{v, url.QueryEscape(v), url.PathEscape(v)} {
			if len(form) >= minSecret && !s.seen[form] {
				s.seen[form] = true
				s.vals = append(s.vals, form)
			}
		}
	}
}

// addCredential learns what a credential sends: the secrets themselves and
// the base64 of user:password that a Basic header carries.
func (s *secrets) addCredential(c auth.Credential) {
	s.add(c.Password, c.RefreshToken, c.AccessToken)
	if c.Password != "" {
		s.add(base64.StdEncoding.EncodeToString([]byte(c.Username + ":" + c.Password)))
	}
}

// addAuthorization learns the value of an Authorization header the auth
// flow produced (a Bearer token issued during the run).
func (s *secrets) addAuthorization(h string) {
	if _, v, ok := strings.Cut(h, " "); ok {
		s.add(strings.TrimSpace(v))
	}
}

// Scrub replaces every known secret in v with Redacted.
func (s *secrets) Scrub(v string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, sec := range s.vals {
		if strings.Contains(v, sec) {
			v = strings.ReplaceAll(v, sec, Redacted)
		}
	}
	return v
}

func (s *secrets) scrubBytes(b []byte) []byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, sec := range s.vals {
		if bytes.Contains(b, []byte(sec)) {
			b = bytes.ReplaceAll(b, []byte(sec), []byte(Redacted))
		}
	}
	return b
}

func (s *secrets) scrubHeaders(h map[string][]string) {
	for k, vs := range h {
		for i, v := range vs {
			vs[i] = s.Scrub(v)
		}
		h[k] = vs
	}
}

// scrubExchange cleans every string of a transcript entry.
func (s *secrets) scrubExchange(ex *results.Exchange) {
	ex.URL, ex.Error = s.Scrub(ex.URL), s.Scrub(ex.Error)
	for i, r := range ex.Retries {
		ex.Retries[i] = s.Scrub(r)
	}
	s.scrubHeaders(ex.RequestHeaders)
	s.scrubHeaders(ex.ResponseHeaders)
	for i := range ex.Auth {
		s.scrubExchange(&ex.Auth[i])
	}
}

// scrubResponse cleans what the steps see of an answer, so that no message
// they build from it can carry a secret.
func (s *secrets) scrubResponse(r *Response) {
	r.Body = s.scrubBytes(r.Body)
	h := make(http.Header, len(r.Header))
	for k, vs := range r.Header {
		cp := make([]string, len(vs))
		for i, v := range vs {
			cp[i] = s.Scrub(v)
		}
		h[k] = cp
	}
	r.Header = h
	r.AuthNote = s.Scrub(r.AuthNote)
}

// Scrubber replaces known secrets in text, as the client does in
// everything it returns: the client's own (Client.Scrubber: credentials
// and tokens it has handled), or one made for credentials handed over
// elsewhere (CredentialScrubber: a client program's Docker config). With
// joins them.
type Scrubber struct{ sets []*secrets }

// Scrubber is the client's scrubber: it knows every secret the client
// knows, now and later (tokens issued after the call included).
func (c *Client) Scrubber() Scrubber { return Scrubber{sets: []*secrets{c.secrets}} }

// CredentialScrubber knows what a credential sends: its password and
// tokens, their URL-encoded forms, and the base64 of user:password that a
// Basic header or a Docker config's "auth" carries.
func CredentialScrubber(cs ...auth.Credential) Scrubber {
	s := &secrets{}
	for _, c := range cs {
		s.addCredential(c)
	}
	return Scrubber{sets: []*secrets{s}}
}

// With is a scrubber that knows the secrets of both.
func (sc Scrubber) With(other Scrubber) Scrubber {
	sets := make([]*secrets, 0, len(sc.sets)+len(other.sets))
	return Scrubber{sets: append(append(sets, sc.sets...), other.sets...)}
}

// Scrub replaces every secret the scrubber knows in v with Redacted.
func (sc Scrubber) Scrub(v string) string {
	for _, s := range sc.sets {
		v = s.Scrub(v)
	}
	return v
}

// ScrubBytes is Scrub for bytes; b may be changed in place.
func (sc Scrubber) ScrubBytes(b []byte) []byte {
	for _, s := range sc.sets {
		b = s.scrubBytes(b)
	}
	return b
}
