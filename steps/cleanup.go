package steps

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Clean-up steps: DELETEs sent when the scenario ends, whatever happened.

func (st *state) deleteCreated(_ context.Context) error {
	r, err := st.response()
	if err != nil {
		return err
	}
	loc := r.Header.Get("Location")
	// A blob upload or mount stored the blob it named: it is deleted where
	// the spec says blobs are deleted, and at the Location too (below).
	// Some registries (crane) send no Location; one whose Location is not
	// the blob's URL would answer its DELETE 404, and the blob would stay
	// without being listed; one that stores a sha512 upload under its
	// sha256 (Distribution) links that one.
	named := r.Status == http.StatusCreated && st.deleteNamedBlob(r.URL)
	if named && loc == "" {
		return nil
	}
	if loc == "" || (r.Status != http.StatusCreated && r.Status != http.StatusAccepted) {
		return nil
	}
	what := "upload session"
	if r.Status == http.StatusCreated {
		what = "created object"
	}
	// A Location holding {…} must not be taken for a placeholder.
	u, err := st.target.Client.Resolve(loc)
	if err != nil {
		return err
	}
	st.addCleanupURL(what, u.String(), "", "", "")
	return nil
}

// deleteNamedBlob registers the deletion of the blob an upload request
// named (/v2/<repo>/blobs/uploads/…?digest=<digest>, or ?mount=<digest>),
// and reports whether it named one.
func (st *state) deleteNamedBlob(u *url.URL) bool {
	if u == nil {
		return false
	}
	repo, _, ok := strings.Cut(strings.TrimPrefix(u.Path, "/v2/"), "/blobs/uploads")
	d := u.Query().Get("digest")
	if d == "" {
		d = u.Query().Get("mount")
	}
	if !ok || !strings.HasPrefix(u.Path, "/v2/") || repo == "" || d == "" {
		return false
	}
	st.addCleanupURL("blob", st.blobURL(repo, d), repo, d, "")
	return true
}

func (st *state) deleteAtEnd(_ context.Context, target string) error {
	return st.addCleanup("object", target)
}

func (st *state) deleteAtEndIf(_ context.Context, target, text string) error {
	if _, err := parseConditions(text); err != nil {
		return err
	}
	if _, err := st.response(); err != nil {
		return nil // no answer, nothing created
	}
	ok, err := st.holds(text)
	if err != nil || !ok {
		return err
	}
	return st.addCleanup("object", target)
}

// addCleanup registers a DELETE of target (a path or URL, placeholders
// allowed) unless the same URL is already registered.
func (st *state) addCleanup(what, target string) error {
	t, err := st.expand(target)
	if err != nil {
		return err
	}
	u, err := st.target.Client.Resolve(t)
	if err != nil {
		return err
	}
	repo, digest, tag := "", "", ""
	if r, d, tg, ok := st.pushedTag(u); ok {
		what, repo, digest, tag = "manifest tag", r, d, tg
	}
	st.addCleanupURL(what, u.String(), repo, digest, tag)
	return nil
}

// pushedTag tells whether u is a manifest by tag that the current
// response, a 201 to a PUT of that very URL, has just created; the digest
// is that of the bytes sent ({bodyDigest}). A registry that refuses to
// delete the tag then leaves a leftover that says which manifest it is.
func (st *state) pushedTag(u *url.URL) (repo, digest, tag string, ok bool) {
	m := objectPathRE.FindStringSubmatch(u.Path)
	if m == nil || m[2] != "manifests" || strings.Contains(m[3], ":") {
		return "", "", "", false
	}
	if st.last == nil || st.last.Status != http.StatusCreated || st.lastEx < 0 || st.lastEx >= len(st.exchanges) ||
		st.exchanges[st.lastEx].Method != http.MethodPut || !samePath(u.String(), st.last.URL) {
		return "", "", "", false
	}
	d := st.vars["bodyDigest"]
	if d == "" {
		return "", "", "", false
	}
	return m[1], d, m[3], true
}
