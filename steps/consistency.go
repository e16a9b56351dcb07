package steps

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/results"
)

// Reads that lag writes (issue 21): on replicated registries and object
// storage backends a blob or manifest becomes readable a moment after the
// write that stored it. A GET or HEAD of an object this registry's run
// wrote, answered 404, is sent again with backoff until consistency.wait
// (registries.yaml, config.DefaultConsistencyWait) has passed since the
// write; only then does the 404 count. The scenario records what it saw as
// the fact "read after write": "readable 480 ms after the write (…)".
// Objects deleted since are forgotten, so a scenario that deletes and
// expects 404 is judged at once.

// FactReadAfterWrite names the fact a lagging read leaves.
const FactReadAfterWrite = results.FactReadAfterWrite

// Backoff of the re-reads: doubling from the first, capped.
const (
	lagFirstWait = 25 * time.Millisecond
	lagMaxWait   = 500 * time.Millisecond
)

// writeLog is when each object the registry's run wrote was written, by
// path (/v2/<repo>/blobs/<digest>, /v2/<repo>/manifests/<reference>), and
// for a manifest its digest, so that deleting it forgets its tags too.
type writeLog struct {
	mu      sync.Mutex
	written map[string]write
}

type write struct {
	at     time.Time
	digest string // a manifest's, "" for a blob
}

func (w *writeLog) add(digest string, paths ...string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.written == nil {
		w.written = map[string]write{}
	}
	now := time.Now()
	for _, p := range paths {
		w.written[p] = write{at: now, digest: digest}
	}
}

// forget drops p and, for a manifest deleted by digest, every reference
// written with that digest in its repository.
func (w *writeLog) forget(p string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	gone := w.written[p]
	delete(w.written, p)
	dir, ref := p[:strings.LastIndex(p, "/")+1], p[strings.LastIndex(p, "/")+1:]
	if gone.digest == "" || ref != gone.digest {
		// A blob, or a tag: deleting a tag leaves its manifest.
		return
	}
	for q, wr := range w.written {
		if wr.digest == gone.digest && strings.HasPrefix(q, dir) {
			delete(w.written, q)
		}
	}
}

func (w *writeLog) when(p string) (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	wr, ok := w.written[p]
	return wr.at, ok
}

var (
	objectReadRE = regexp.MustCompile(`^/v2/(.+)/(?:blobs|manifests)/[^/]+$`)
	uploadPathRE = regexp.MustCompile(`^/v2/(.+)/blobs/uploads/`)
)

// doConsistent is do, with the re-reads of an object written before.
func (st *state) doConsistent(ctx context.Context, req client.Request) (*client.Response, results.Exchange, error) {
	resp, ex, err := st.do(ctx, req)
	if err != nil || req.Cleanup {
		return resp, ex, err
	}
	log := &st.target.writes
	switch req.Method {
	case http.MethodGet, http.MethodHead:
		if resp.Status == http.StatusNotFound && objectReadRE.MatchString(resp.URL.Path) {
			return st.reread(ctx, req, resp, ex)
		}
	case http.MethodPut, http.MethodPost:
		digest, paths := writtenPaths(req, resp)
		log.add(digest, paths...)
	case http.MethodDelete:
		if resp.Status >= 200 && resp.Status < 300 {
			log.forget(resp.URL.Path)
		}
	}
	return resp, ex, nil
}

// reread sends req again while its object, written at t, may still be on
// its way, and returns the last answer: one exchange whose attempts and
// retries count the re-reads.
func (st *state) reread(ctx context.Context, req client.Request, resp *client.Response, ex results.Exchange) (*client.Response, results.Exchange, error) {
	path := resp.URL.Path
	t, ok := st.target.writes.when(path)
	bound := st.target.Registry.Consistency.Wait
	if _, shared := sharedKey(st.target, req); shared || !ok || bound <= 0 || time.Since(t) >= bound {
		// A shared answer (shared.go) would only be handed back again.
		return resp, ex, nil
	}
	attempts, retries := ex.Attempts, append([]string(nil), ex.Retries...)
	for wait := lagFirstWait; resp.Status == http.StatusNotFound; wait = min(2*wait, lagMaxWait) {
		left := bound - time.Since(t)
		if left <= 0 {
			st.record(FactReadAfterWrite, fmt.Sprintf("still 404 Not Found %s after the write (consistency.wait): %s %s", bound, req.Method, shortPath(path)))
			break
		}
		retries = append(retries, "404 Not Found (written "+ms(time.Since(t))+" before; read again)")
		select {
		case <-ctx.Done():
			return resp, ex, nil
		case <-time.After(min(wait, left)):
		}
		r, e, err := st.do(ctx, req)
		if err != nil {
			e.Attempts += attempts
			e.Retries = append(retries, e.Retries...)
			return nil, e, err
		}
		attempts += e.Attempts
		retries = append(retries, e.Retries...)
		resp, ex = r, e
		if resp.Status != http.StatusNotFound {
			st.record(FactReadAfterWrite, fmt.Sprintf("readable %s after the write (%s %s)", ms(time.Since(t)), req.Method, shortPath(path)))
		}
	}
	ex.Attempts, ex.Retries = attempts, retries
	return resp, ex, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%d ms", d.Milliseconds()) }

func shortPath(p string) string { return digestInPathRE.ReplaceAllString(p, "$1…") }

// writtenPaths are the objects a successful write stored: a manifest PUT
// its reference and its digest (returned too); a blob upload's closing
// PUT, a single POST and a mount the blob named by digest= or mount=.
func writtenPaths(req client.Request, resp *client.Response) (string, []string) {
	if resp.Status < 200 || resp.Status >= 300 {
		return "", nil
	}
	p := resp.URL.Path
	if m := objectPathRE.FindStringSubmatch(p); m != nil && m[2] == "manifests" && req.Method == http.MethodPut {
		d := digestOf(req.Body)
		out := []string{p, "/v2/" + m[1] + "/manifests/" + d}
		if h := resp.Header.Get("Docker-Content-Digest"); h != "" && h != d {
			out = append(out, "/v2/"+m[1]+"/manifests/"+h)
		}
		return d, out
	}
	m := uploadPathRE.FindStringSubmatch(p)
	if m == nil || resp.Status != http.StatusCreated {
		return "", nil
	}
	q := resp.URL.Query()
	var out []string
	for _, d := range []string{q.Get("digest"), q.Get("mount")} {
		if d != "" {
			out = append(out, "/v2/"+m[1]+"/blobs/"+d)
		}
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil && strings.Contains(u.Path, "/blobs/") && !strings.Contains(u.Path, "/uploads/") {
			out = append(out, u.Path)
		}
	}
	return "", out
}
