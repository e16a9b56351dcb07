// Redaction by shape: secret headers, URL user info and query values
// whose names say they are secret, in every transcript entry. scrub.go
// removes the secrets the client knows by value.

package client

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
)

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
