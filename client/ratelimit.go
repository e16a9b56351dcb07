package client

import (
	"fmt"
	"net/http"
	"sync/atomic"

	"golang.org/x/time/rate"
)

// RateLimit paces a client's requests (registries.yaml rateLimit): at
// most RequestsPerSecond on average and Burst at once. Zero means no
// limit.
type RateLimit struct {
	RequestsPerSecond float64
	Burst             int
}

// throttle sits right above the connection pool, under the guard and the
// auth flow: every request that goes on the wire passes it once, each
// attempt of a retry, each token request and each hop of a redirect
// included, so that the limit holds for all of them. It also counts the
// answers 429 Too Many Requests, for the reports.
type throttle struct {
	next http.RoundTripper
	lim  *rate.Limiter // nil: no limit
	n429 atomic.Int64
}

func newThrottle(next http.RoundTripper, rl RateLimit) *throttle {
	t := &throttle{next: next}
	if rl.RequestsPerSecond > 0 {
		t.lim = rate.NewLimiter(rate.Limit(rl.RequestsPerSecond), max(rl.Burst, 1))
	}
	return t
}

func (t *throttle) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.lim != nil {
		if err := t.lim.Wait(req.Context()); err != nil {
			closeBody(req)
			return nil, fmt.Errorf("waiting for a turn under the rate limit (rateLimit in registries.yaml): %w", err)
		}
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		t.n429.Add(1)
	}
	return resp, err
}

// RateLimited counts the answers 429 Too Many Requests the client got so
// far, from the registry and its token service, retried ones included.
func (c *Client) RateLimited() int {
	if c.throttle == nil {
		return 0
	}
	return int(c.throttle.n429.Load())
}
