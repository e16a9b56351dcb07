package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

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

// checkRetry is the retry policy: connection errors and retryableStatus,
// unless the context is done, the error is one a retry cannot fix (TLS
// verification, bad URL), or the registry asks to wait longer than the cap.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return !permanent(err), nil
	}
	if !retryableStatus(resp.StatusCode) {
		return false, nil
	}
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok && d > c.maxRetryAfter {
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
	case errors.As(err, &policy), headersTooLarge(err), refusedRealm(err), plainHTTPAnswer(err), errors.Is(err, ErrTokenAnswerTooLarge):
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
func (c *Client) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, c.maxRetryAfter)
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

// attemptLog collects what each attempt of one request got, so that the
// evidence says how many attempts there were and why each was retried.
type attemptLog struct {
	mu       sync.Mutex
	outcomes []string
	// orphans are upload sessions opened by attempts whose answer was then
	// retried: nobody else knows them, so the client cancels them.
	orphans []string
}

type attemptLogKey struct{}

func (l *attemptLog) add(s string) {
	l.mu.Lock()
	l.outcomes = append(l.outcomes, s)
	l.mu.Unlock()
}

// recorder wraps the transport under the retry loop: it sees every attempt.
type recorder struct{ next http.RoundTripper }

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	log, _ := req.Context().Value(attemptLogKey{}).(*attemptLog)
	if log == nil {
		return resp, err
	}
	switch {
	case err != nil:
		log.add(describe(err, 1))
	default:
		log.add(fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode)))
		if retryableStatus(resp.StatusCode) && req.Method == http.MethodPost {
			if loc := resp.Header.Get("Location"); loc != "" && strings.Contains(req.URL.Path, "/blobs/uploads/") {
				if u, perr := req.URL.Parse(loc); perr == nil {
					log.mu.Lock()
					log.orphans = append(log.orphans, u.String())
					log.mu.Unlock()
				}
			}
		}
	}
	return resp, err
}
