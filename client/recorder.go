// The recorder sits right under the retry loop (client.go, New): it sees
// each attempt once, so that a transcript entry says how many attempts a
// request took and what each got, and it closes the upload sessions that
// retried attempts opened and nobody else knows.

package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

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
