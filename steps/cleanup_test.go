package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/results"
)

// A 201 to a blob upload or mount stored the blob it named: "I delete what
// the response created" deletes it at /v2/<name>/blobs/<digest>, and at
// its Location when there is one (which may name another blob: Distribution
// stores a sha512 upload under its sha256; or no blob at all); without a
// Location (crane closes uploads so) at the digest only. Other answers
// register their Location.
func TestDeleteWhatTheResponseCreated(t *testing.T) {
	c, err := client.New("http://127.0.0.1:1", client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		status        int
		url, location string
		want          []string
	}{
		{201, "/v2/a/b/blobs/uploads/?digest=sha256:ab", "", []string{"blob http://127.0.0.1:1/v2/a/b/blobs/sha256:ab"}},
		{201, "/v2/a/blobs/uploads/s1?_state=x&digest=sha512:cd", "", []string{"blob http://127.0.0.1:1/v2/a/blobs/sha512:cd"}},
		{201, "/v2/a/blobs/uploads/s1", "", nil},
		{201, "/v2/a/manifests/t", "", nil},
		{201, "/v2/a/blobs/uploads/?digest=sha256:ab", "/v2/a/blobs/sha256:ab", []string{"blob http://127.0.0.1:1/v2/a/blobs/sha256:ab"}},
		{201, "/v2/a/blobs/uploads/s1?digest=sha256:ab", "/elsewhere/not-the-blob", []string{"blob http://127.0.0.1:1/v2/a/blobs/sha256:ab", "created object http://127.0.0.1:1/elsewhere/not-the-blob"}},
		{201, "/v2/a/blobs/uploads/s1?digest=sha512:cd", "/v2/a/blobs/sha256:ab", []string{"blob http://127.0.0.1:1/v2/a/blobs/sha512:cd", "blob http://127.0.0.1:1/v2/a/blobs/sha256:ab"}},
		{201, "/v2/a/blobs/uploads/?mount=sha256:ab&from=b", "/v2/a/blobs/sha256:ab", []string{"blob http://127.0.0.1:1/v2/a/blobs/sha256:ab"}},
		{201, "/v2/a/manifests/t", "/v2/a/manifests/sha256:ef", []string{"manifest http://127.0.0.1:1/v2/a/manifests/sha256:ef"}},
		{202, "/v2/a/blobs/uploads/", "/v2/a/blobs/uploads/s2", []string{"upload session http://127.0.0.1:1/v2/a/blobs/uploads/s2"}},
		{404, "/v2/a/blobs/uploads/?digest=sha256:ab", "", nil},
	}
	for _, tc := range cases {
		st := newState(&Target{Client: c})
		u, _ := url.Parse("http://127.0.0.1:1" + tc.url)
		h := http.Header{}
		if tc.location != "" {
			h.Set("Location", tc.location)
		}
		st.last = &client.Response{Status: tc.status, URL: u, Header: h}
		if err := st.deleteCreated(context.Background()); err != nil {
			t.Fatalf("%s: %v", tc.url, err)
		}
		var got []string
		for _, cl := range st.cleanups {
			got = append(got, cl.what+" "+cl.target)
		}
		if !reflect.DeepEqual(got, tc.want) && (len(got) > 0 || len(tc.want) > 0) {
			t.Errorf("%d %s: registered %q, want %q", tc.status, tc.url, got, tc.want)
		}
	}
}

// A tag deleted at the end, registered right after the PUT that created
// it, names the manifest's digest (the bytes sent), so a registry that
// refuses the DELETE leaves a leftover saying which manifest it is; any
// other tag is still named (TestCleanupOfATagNamesIt).
func TestDeleteTagAfterItsPush(t *testing.T) {
	c, err := client.New("http://127.0.0.1:1", client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, url string
		status      int
		target      string
		want        string // what repository digest tag
	}{
		{"PUT", "/v2/a/b/manifests/t1", 201, "/v2/a/b/manifests/t1", "manifest tag a/b sha256:d t1"},
		{"PUT", "/v2/a/b/manifests/t1", 201, "/v2/a/b/manifests/sha256:e", "manifest a/b sha256:e "},
		{"PUT", "/v2/a/b/manifests/t1", 201, "/v2/a/b/manifests/t2", "manifest tag a/b  t2"},
		{"PUT", "/v2/a/b/manifests/t1", 400, "/v2/a/b/manifests/t1", "manifest tag a/b  t1"},
		{"GET", "/v2/a/b/manifests/t1", 201, "/v2/a/b/manifests/t1", "manifest tag a/b  t1"},
		{"PUT", "/v2/a/b/blobs/uploads/x", 201, "/v2/a/b/blobs/sha256:f", "blob a/b sha256:f "},
	}
	for _, tc := range cases {
		st := newState(&Target{Client: c})
		st.setBody([]byte("x"))
		st.vars["bodyDigest"] = "sha256:d"
		u, _ := url.Parse("http://127.0.0.1:1" + tc.url)
		st.exchanges = append(st.exchanges, results.Exchange{Method: tc.method, URL: u.String(), Status: tc.status})
		st.last, st.lastEx = &client.Response{Status: tc.status, URL: u, Header: http.Header{}}, 0
		if err := st.deleteAtEnd(context.Background(), tc.target); err != nil {
			t.Fatalf("%s: %v", tc.target, err)
		}
		if len(st.cleanups) != 1 {
			t.Fatalf("%s: %d clean-ups", tc.target, len(st.cleanups))
		}
		cl := st.cleanups[0]
		if got := strings.Join([]string{cl.what, cl.repository, cl.digest, cl.tag}, " "); got != tc.want {
			t.Errorf("%s %s %d, delete %s: %q, want %q", tc.method, tc.url, tc.status, tc.target, got, tc.want)
		}
	}
}

// The empty JSON blob of artifacts is the same object for every scenario
// pushing an artifact: its DELETE is sent once, after all the registry's
// scenarios (Target.Finish), so none deletes it while another is between
// pushing it and pushing the manifest naming it (Distribution then refused
// the manifest with MANIFEST_BLOB_UNKNOWN), and none waits for another.
func TestSharedBlobDeletedOnceAtTheEnd(t *testing.T) {
	var mu sync.Mutex
	var deletes []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			mu.Lock()
			deletes = append(deletes, r.URL.Path)
			mu.Unlock()
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	c, err := client.New(srv.URL, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	target := &Target{Client: c}
	empty := digestOf(emptyJSON)
	for _, repo := range []string{"r", "r", "q"} { // three scenarios, two repositories
		st := newState(target)
		st.addCleanupURL("blob", st.blobURL(repo, empty), repo, empty, "")
		st.addCleanupURL("manifest", st.manifestURL(repo, "sha256:"+strings.Repeat("a", 64)), repo, "", "")
		st.cleanupLast(st.blobURL(repo, empty))
		st.runCleanups(context.Background())
		if len(st.exchanges) != 1 || !strings.Contains(st.exchanges[0].URL, "/manifests/") {
			t.Fatalf("a scenario's own clean-ups sent %+v, want only its manifest's DELETE", st.exchanges)
		}
	}
	mu.Lock()
	deletes = nil
	mu.Unlock()
	if left := target.Finish(context.Background()); len(left) != 0 {
		t.Errorf("leftovers %+v", left)
	}
	want := []string{"/v2/q/blobs/" + empty, "/v2/r/blobs/" + empty}
	if !reflect.DeepEqual(deletes, want) {
		t.Errorf("at the end: %v, want each repository's blob once, in URL order: %v", deletes, want)
	}
	if left := target.Finish(context.Background()); left != nil || len(deletes) != 2 {
		t.Errorf("a second Finish sent more: %v", deletes)
	}
}

// A clean-up of a manifest by tag is a "manifest tag" leftover naming the
// tag, with the digest of the push it follows.
func TestCleanupOfATagNamesIt(t *testing.T) {
	c, err := client.New("http://127.0.0.1:1", client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := newState(&Target{Client: c})
	u, _ := url.Parse("http://127.0.0.1:1/v2/r/manifests/sha256-abc")
	st.last = &client.Response{Status: 201, URL: u, Header: http.Header{"Docker-Content-Digest": {"sha256:def"}}}
	if err := st.deleteAtEnd(context.Background(), "/v2/r/manifests/sha256-abc"); err != nil {
		t.Fatal(err)
	}
	if err := st.deleteAtEnd(context.Background(), "/v2/r/manifests/other"); err != nil {
		t.Fatal(err)
	}
	got := []cleanup{st.cleanups[0], st.cleanups[1]}
	if c := got[0]; c.what != "manifest tag" || c.repository != "r" || c.tag != "sha256-abc" || c.digest != "sha256:def" {
		t.Errorf("the pushed tag: %+v", c)
	}
	if c := got[1]; c.what != "manifest tag" || c.tag != "other" || c.digest != "" {
		t.Errorf("another tag: %+v", c)
	}
}

// olareg keeps a deleted manifest's bytes and serves them as a blob of the
// repository (curl: HEAD /v2/<name>/blobs/<manifest digest> is 200 after
// the manifest's DELETE answered 202). Finish asks about one of the
// manifests clean-ups deleted by digest, and deletes all of them as blobs
// where it is there; where it is not, that HEAD is all it sends. A blob
// DELETE refused is a "blob" leftover.
func TestDeletedManifestBytesRemoved(t *testing.T) {
	m1, m2 := "sha256:"+strings.Repeat("1", 64), "sha256:"+strings.Repeat("2", 64)
	for _, kept := range []bool{true, false} {
		var mu sync.Mutex
		var sent []string
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			sent = append(sent, r.Method+" "+r.URL.Path)
			mu.Unlock()
			switch {
			case r.Method == http.MethodHead && kept:
				w.WriteHeader(http.StatusOK)
			case r.Method == http.MethodHead:
				w.WriteHeader(http.StatusNotFound)
			case r.URL.Path == "/v2/q/blobs/"+m2:
				w.WriteHeader(http.StatusMethodNotAllowed)
			default:
				w.WriteHeader(http.StatusAccepted)
			}
		}))
		c, err := client.New(srv.URL, client.Options{})
		if err != nil {
			t.Fatal(err)
		}
		target := &Target{Client: c}
		for _, o := range []struct{ repo, digest string }{{"r", m1}, {"q", m2}} {
			st := newState(target)
			st.addCleanupURL("manifest", st.manifestURL(o.repo, o.digest), o.repo, "", "")
			st.addCleanupURL("manifest", st.manifestURL(o.repo, "tag"), o.repo, "", "") // by tag: not noted
			st.runCleanups(context.Background())
		}
		mu.Lock()
		sent = nil
		mu.Unlock()
		left := target.Finish(context.Background())
		srv.Close()
		want := []string{"HEAD /v2/q/blobs/" + m2}
		if kept {
			// the refused DELETE is followed, once every clean-up has
			// run, by a HEAD: is it there still?
			want = append(want, "DELETE /v2/q/blobs/"+m2, "DELETE /v2/r/blobs/"+m1, "HEAD /v2/q/blobs/"+m2)
		}
		if !reflect.DeepEqual(sent, want) {
			t.Errorf("kept %v: Finish sent %v, want %v", kept, sent, want)
		}
		if kept && (len(left) != 1 || left[0].What != "blob" || left[0].Digest != m2 || left[0].Repository != "q") {
			t.Errorf("kept: leftovers %+v, want the q blob %s", left, m2)
		}
		if !kept && len(left) != 0 {
			t.Errorf("not kept: leftovers %+v", left)
		}
	}
}

// Distribution 2.8.2 refuses to delete a tag by name (400 DIGEST_INVALID,
// curl) and removes the tag with its manifest deleted by digest, which the
// clean-ups do next: the tag is asked about only after every clean-up ran,
// and is no leftover since it answers 404 then. A tag still there is one.
func TestLeftoverConfirmedAfterEveryCleanup(t *testing.T) {
	for _, removedWithManifest := range []bool{true, false} {
		var mu sync.Mutex
		manifestGone := false
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case r.Method == http.MethodDelete && strings.HasSuffix(r.URL.Path, "/manifests/v1"):
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]}`))
			case r.Method == http.MethodDelete:
				manifestGone = true
				w.WriteHeader(http.StatusAccepted)
			case r.Method == http.MethodHead && manifestGone && removedWithManifest:
				w.WriteHeader(http.StatusNotFound)
			default:
				w.WriteHeader(http.StatusOK)
			}
		}))
		c, err := client.New(srv.URL, client.Options{})
		if err != nil {
			t.Fatal(err)
		}
		st := newState(&Target{Client: c})
		d := "sha256:" + strings.Repeat("a", 64)
		st.addCleanupURL("manifest", st.manifestURL("r", d), "r", d, "v1")
		st.addCleanupURL("manifest tag", st.manifestURL("r", "v1"), "r", d, "v1")
		st.runCleanups(context.Background())
		srv.Close()
		if removedWithManifest && len(st.leftovers) != 0 {
			t.Errorf("a tag removed with its manifest is listed: %+v", st.leftovers)
		}
		if !removedWithManifest && (len(st.leftovers) != 1 || st.leftovers[0].Tag != "v1" || !strings.Contains(st.leftovers[0].Reason, "DIGEST_INVALID")) {
			t.Errorf("a tag still there: leftovers %+v, want the tag v1 with the refusal", st.leftovers)
		}
	}
}
