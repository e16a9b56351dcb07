package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/ocicaps/ocicaps/client"
)

// A 201 without Location (crane closes uploads so) still stored a blob:
// "I delete what the response created" deletes it by the digest the
// upload named; other answers register what they did before.
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
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("%d %s: registered %q, want %q", tc.status, tc.url, got, tc.want)
		}
	}
}

// The empty JSON blob of artifacts is the same object for every scenario
// pushing an artifact to a repository: only the last of them to end
// deletes it, so a scenario between pushing it and pushing its manifest
// does not lose it (Distribution then refused the manifest with
// MANIFEST_BLOB_UNKNOWN).
func TestSharedBlobDeletedByTheLastUser(t *testing.T) {
	var deletes []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			deletes = append(deletes, r.URL.Path)
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	c, err := client.New(srv.URL, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	target := &Target{Client: c}
	a, b := newState(target), newState(target)
	d := digestOf(emptyJSON)
	a.addSharedBlobCleanup("r", d)
	a.addSharedBlobCleanup("r", d) // once per scenario
	b.addSharedBlobCleanup("r", d)
	a.addCleanupURL("blob", a.blobURL("r", d), "r", d, "") // what pushBlob does after: no second entry
	if len(a.cleanups) != 1 {
		t.Fatalf("a has %d clean-ups, want 1", len(a.cleanups))
	}
	a.runCleanups(context.Background())
	if len(deletes) != 0 {
		t.Fatalf("the first scenario to end deleted %v while the other still uses it", deletes)
	}
	b.runCleanups(context.Background())
	if want := "/v2/r/blobs/" + d; len(deletes) != 1 || deletes[0] != want {
		t.Fatalf("deletes %v, want one of %s", deletes, want)
	}
	// A later scenario counts from zero again.
	c2 := newState(target)
	c2.addSharedBlobCleanup("r", d)
	c2.runCleanups(context.Background())
	if len(deletes) != 2 {
		t.Fatalf("deletes %v, want a second one", deletes)
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
