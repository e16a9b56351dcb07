package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy is when and how long a request is tried again, the shape of
// oras-go's retry.GenericPolicy: how many retries, the bounds of the
// jittered exponential backoff, and the longest Retry-After honoured. It
// is also the configuration's type (registries.yaml's retry: block,
// config.Registry.Retry), so a policy goes from the file to the client as
// one value. A policy is taken as it is written: Max 0 means no retry.
type RetryPolicy struct {
	// Max is the number of retries after the first attempt.
	Max int
	// MinWait and MaxWait bound the jittered exponential backoff.
	MinWait, MaxWait time.Duration
	// MaxRetryAfter caps how long a Retry-After header may make us wait;
	// a registry asking for longer is not retried.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy is the policy of a client given none, and the
// built-in default of registries.yaml (documented in the README).
var DefaultRetryPolicy = RetryPolicy{Max: 3, MinWait: 200 * time.Millisecond, MaxWait: 5 * time.Second, MaxRetryAfter: 30 * time.Second}

// retryableStatus are the answers worth asking again: rate limits and
// gateway or availability failures. 500 and 501 are answers (a bug or "not
// implemented"), and other 4xx never change on retry.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// checkRetry says what is retried: connection errors and retryableStatus,
// unless the context is done, the error is one a retry cannot fix (TLS
// verification, bad URL), or the registry asks to wait longer than the cap.
func (p RetryPolicy) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return !permanent(err), nil
	}
	if !retryableStatus(resp.StatusCode) {
		return false, nil
	}
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && d > p.MaxRetryAfter {
		// Waiting less than asked would only be refused again; waiting
		// longer than the cap would stall the run. Give up with the
		// registry's answer, which the verdict then names.
		return false, nil
	}
	return true, nil
}

func permanent(err error) bool {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var recordHeader tls.RecordHeaderError
	var policy *PolicyError
	switch {
	case errors.As(err, &policy), headersTooLarge(err), refusedRealm(err):
		return true
	case errors.As(err, &unknownAuthority), errors.As(err, &hostname), errors.As(err, &invalid), errors.As(err, &verify), errors.As(err, &recordHeader):
		return true
	case strings.Contains(err.Error(), "unsupported protocol scheme"), strings.Contains(err.Error(), "stopped after"):
		return true
	}
	return false
}

// backoff waits as the registry asked with Retry-After (capped), else a
// jittered exponential delay: a random time in [d/2, d] with d =
// minWait·2^attempt capped at maxWait, so that many clients retrying at
// once spread out.
func (p RetryPolicy) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, p.MaxRetryAfter)
		}
	}
	d := minWait
	for i := 0; i < attempt && d < maxWait; i++ {
		d *= 2
	}
	d = min(d, maxWait)
	if d <= 0 {
		return 0
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(d-half)+1))
}

// maxRetryAfterSeconds bounds the parsed value so that the conversion to a
// duration cannot overflow.
const maxRetryAfterSeconds = 365 * 24 * 3600

// ParseRetryAfter reads a Retry-After value: delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3). A date in the past means no wait.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, maxRetryAfterSeconds)) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	if d := t.Sub(now); d > 0 {
		return min(d, maxRetryAfterSeconds*time.Second), true
	}
	return 0, true
}
