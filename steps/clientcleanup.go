package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	ocispec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/ocicaps/ocicaps/client"
)

// Clean-up of what a client program pushed: ocicaps did not write it, so
// what to delete is found when the scenario ends, by asking the registry
// (the manifest, an index's children, their blobs; the referrers of a
// subject by the API and by the tag schema).

// digestRE is a digest as clients write them.
var digestRE = regexp.MustCompile(`^sha(256:[0-9a-f]{64}|512:[0-9a-f]{128})$`)

// ociIndexType is what a referrers list is.
const ociIndexType = ocispec.MediaTypeImageIndex

// Bounds of the walk: a registry or client that made a deep or wide
// graph leaves the rest over rather than keep the clean-up going.
const (
	maxCleanupDepth   = 3
	maxCleanupObjects = 256
)

func (st *state) deleteImageAtEnd(_ context.Context, ref string) error {
	r, err := st.expand(ref)
	if err != nil {
		return err
	}
	repo, reference, err := splitRef(r)
	if err != nil {
		return err
	}
	st.add(cleanup{what: "image", target: "image " + r, repository: repo, expand: func(ctx context.Context, w *cleanupWalk) {
		w.image(ctx, repo, reference, 0)
	}})
	return nil
}

func (st *state) deleteReferrersAtEnd(_ context.Context, subject, repository string) error {
	d, err := st.expand(subject)
	if err != nil {
		return err
	}
	repo, err := st.expand(repository)
	if err != nil {
		return err
	}
	if !digestRE.MatchString(d) {
		return fmt.Errorf("%q is no digest (sha256:<64 hex>): save the subject's digest first (I push an image to … and save its digest as …)", d)
	}
	st.add(cleanup{what: "referrers", target: "referrers " + repo + "@" + d, repository: repo, expand: func(ctx context.Context, w *cleanupWalk) {
		w.referrers(ctx, repo, d)
	}})
	return nil
}

// cleanupWalk collects, when the scenario ends, the deletions of what a
// client pushed, in the order they are sent, each object once.
type cleanupWalk struct {
	st   *state
	out  []cleanup
	seen map[string]bool
	// kept are blobs the test image has too: on a registry that keeps
	// blobs once for all repositories (crane's), deleting one in the
	// scratch repository would break the test image.
	kept map[string]bool
}

// expandCleanup runs a clean-up that walks the registry and returns the
// deletions it found.
func (st *state) expandCleanup(ctx context.Context, c cleanup) []cleanup {
	w := &cleanupWalk{st: st, seen: map[string]bool{}, kept: map[string]bool{}}
	c.expand(ctx, w)
	return w.out
}

func (w *cleanupWalk) add(c cleanup) {
	if w.seen[c.target] || len(w.out) >= maxCleanupObjects {
		return
	}
	w.seen[c.target] = true
	w.out = append(w.out, c)
}

// get reads a manifest (or a referrers list) for the clean-up, recorded
// as evidence.
func (w *cleanupWalk) get(ctx context.Context, target, accept string) (*client.Response, bool) {
	resp, ex, err := w.st.target.Client.Do(ctx, client.Request{Method: http.MethodGet, Target: target, Header: http.Header{"Accept": {accept}}, Cleanup: true})
	w.st.exchanges = append(w.st.exchanges, ex)
	return resp, err == nil && resp.Status == http.StatusOK
}

// image deletes the manifest repo:reference (a tag, then by digest), the
// manifests of an index, and the blobs of each.
func (w *cleanupWalk) image(ctx context.Context, repo, reference string, depth int) {
	if depth > maxCleanupDepth || w.seen["walked "+repo+"@"+reference] {
		return
	}
	w.seen["walked "+repo+"@"+reference] = true
	st := w.st
	resp, ok := w.get(ctx, st.manifestURL(repo, reference), manifestAcceptTypes)
	if !ok {
		if resp == nil || resp.Status != http.StatusNotFound {
			// Not read: try the deletion anyway, so that a leftover is
			// named if it is there.
			w.add(manifestCleanup(st, repo, reference))
		}
		return
	}
	digest := resp.Header.Get("Docker-Content-Digest")
	if !digestRE.MatchString(digest) {
		digest = digestOf(resp.Body)
	}
	if !strings.Contains(reference, ":") {
		w.add(manifestCleanup(st, repo, reference))
	}
	w.add(manifestCleanup(st, repo, digest))
	var m struct {
		Manifests []struct{ Digest string } `json:"manifests"`
		Config    *struct{ Digest string }  `json:"config"`
		Layers    []struct{ Digest string } `json:"layers"`
	}
	if json.Unmarshal(resp.Body, &m) != nil {
		return
	}
	for _, c := range m.Manifests {
		if digestRE.MatchString(c.Digest) {
			w.image(ctx, repo, c.Digest, depth+1)
		}
	}
	var blobs []string
	if m.Config != nil {
		blobs = append(blobs, m.Config.Digest)
	}
	for _, l := range m.Layers {
		blobs = append(blobs, l.Digest)
	}
	for _, b := range blobs {
		if digestRE.MatchString(b) && !w.testImageHas(ctx, b) {
			w.add(cleanup{what: "blob", method: http.MethodDelete, target: st.blobURL(repo, b), repository: repo, digest: b})
		}
	}
}

// testImageHas tells whether the test repository serves the blob too.
func (w *cleanupWalk) testImageHas(ctx context.Context, digest string) bool {
	st := w.st
	repo := st.target.Registry.TestRepository
	if repo == "" {
		return false
	}
	if v, ok := w.kept[digest]; ok {
		return v
	}
	resp, ex, err := st.target.Client.Do(ctx, client.Request{Method: http.MethodHead, Target: st.blobURL(repo, digest), Cleanup: true})
	st.exchanges = append(st.exchanges, ex)
	w.kept[digest] = err == nil && resp.Status == http.StatusOK
	return w.kept[digest]
}

// referrers deletes every referrer of subject in repo, found by the
// referrers API and under the referrers tag schema (sha256-<hex>), and
// the tag schema's index.
func (w *cleanupWalk) referrers(ctx context.Context, repo, subject string) {
	st := w.st
	if resp, ok := w.get(ctx, st.target.resolved("/v2/"+repo+"/referrers/"+subject), ociIndexType); ok {
		w.children(ctx, repo, resp.Body)
	}
	tag := strings.Replace(subject, ":", "-", 1)
	if resp, ok := w.get(ctx, st.manifestURL(repo, tag), ociIndexType+", "+manifestAcceptTypes); ok {
		w.children(ctx, repo, resp.Body)
		w.image(ctx, repo, tag, 0)
	}
}

// children walks the manifests an index lists.
func (w *cleanupWalk) children(ctx context.Context, repo string, body []byte) {
	var idx struct {
		Manifests []struct{ Digest string } `json:"manifests"`
	}
	if json.Unmarshal(body, &idx) != nil {
		return
	}
	for _, c := range idx.Manifests {
		if digestRE.MatchString(c.Digest) {
			w.image(ctx, repo, c.Digest, 1)
		}
	}
}

func manifestCleanup(st *state, repo, reference string) cleanup {
	c := cleanup{what: "manifest", method: http.MethodDelete, target: st.manifestURL(repo, reference), repository: repo}
	if strings.Contains(reference, ":") {
		c.digest = reference
	} else {
		c.what, c.tag = "manifest tag", reference
	}
	return c
}

// resolved is a path on the registry as an absolute URL.
func (t *Target) resolved(path string) string {
	u, err := t.Client.Resolve(path)
	if err != nil {
		return path
	}
	return u.String()
}
