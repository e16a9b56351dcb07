// Package retry is the retry policy of the requests to a registry: one
// value, from registries.yaml's retry: block (config.Registry.Retry is a
// Policy) to the client that applies it (client.Options.Retry), and the
// waits it prescribes. What is worth retrying (which statuses, which
// errors) is the client's to say (client/retry.go).
package retry

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Policy is when and how long a request is tried again, the shape of
// oras-go's retry.GenericPolicy: how many retries, the bounds of the
// jittered exponential backoff, and the longest Retry-After honoured. A
// policy is taken as it is written: Max 0 means no retry.
type Policy struct {
	// Max is the number of retries after the first attempt.
	Max int
	// MinWait and MaxWait bound the jittered exponential backoff.
	MinWait, MaxWait time.Duration
	// MaxRetryAfter caps how long a Retry-After header may make us wait;
	// a registry asking for longer is not retried.
	MaxRetryAfter time.Duration
}

// Default is the policy of a client given none, and the built-in default
// of registries.yaml (documented in the README).
var Default = Policy{Max: 3, MinWait: 200 * time.Millisecond, MaxWait: 5 * time.Second, MaxRetryAfter: 30 * time.Second}

// Backoff is how long to wait before retry attempt (go-retryablehttp's
// Backoff, minWait and maxWait being the policy's): as the registry asked
// with Retry-After (capped at MaxRetryAfter), else a jittered exponential
// delay, a random time in [d/2, d] with d = minWait·2^attempt capped at
// maxWait, so that many clients retrying at once spread out.
func (p Policy) Backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
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
