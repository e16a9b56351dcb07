package twist

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// listUpstream answers every list 200 with a body naming its request, and
// stores nothing: enough to see what each mode changes.
func listUpstream(t *testing.T) *httptest.Server {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPut:
			w.WriteHeader(http.StatusCreated)
		case r.Method == http.MethodDelete:
			w.WriteHeader(http.StatusAccepted)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"seen":"`+r.URL.RequestURI()+`","manifests":null}`)
		}
	}))
	t.Cleanup(up.Close)
	return up
}

func getList(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestLinkModes(t *testing.T) {
	up := listUpstream(t)
	cases := map[string]string{
		"link-self":       `</v2/a/tags/list?n=1>; rel="next"`,
		"endless-pages":   `</v2/a/tags/list?endless=1&n=1>; rel="next"`,
		"link-javascript": `<javascript:alert(document.domain)>; rel="next"`,
		"link-file":       `<file:///etc/passwd>; rel="next"`,
	}
	for mode, want := range cases {
		p, err := Start(up.URL, mode)
		if err != nil {
			t.Fatal(err)
		}
		resp, body := getList(t, p.URL+"/v2/a/tags/list?n=1")
		if got := resp.Header.Get("Link"); got != want || !strings.Contains(body, `"seen":"/v2/a/tags/list?n=1"`) {
			t.Errorf("%s: Link %q body %s, want %q and the registry's own answer", mode, got, body, want)
		}
		if resp, _ := getList(t, p.URL+"/v2/a/blobs/sha256:x"); resp.Header.Get("Link") != "" {
			t.Errorf("%s: a Link on a blob", mode)
		}
		p.Close()
	}
	// The next endless page asks the registry for the same list again.
	p, _ := Start(up.URL, "endless-pages")
	defer p.Close()
	resp, body := getList(t, p.URL+"/v2/_catalog?endless=4&n=1")
	if resp.Header.Get("Link") != `</v2/_catalog?endless=5&n=1>; rel="next"` || !strings.Contains(body, `"seen":"/v2/_catalog?n=1"`) {
		t.Errorf("page 4: Link %q body %s", resp.Header.Get("Link"), body)
	}
}

func TestReferrersMalformed(t *testing.T) {
	p, _ := Start(listUpstream(t).URL, "referrers-malformed")
	defer p.Close()
	_, body := getList(t, p.URL+"/v2/a/referrers/sha256:x")
	if body != MalformedReferrers || json.Valid([]byte(body)) {
		t.Errorf("referrers body %q", body)
	}
	if _, body := getList(t, p.URL+"/v2/a/tags/list"); !json.Valid([]byte(body)) {
		t.Errorf("a tag list was broken too: %q", body)
	}
}

func TestReferrersIgnoreSubject(t *testing.T) {
	p, _ := Start(listUpstream(t).URL, "referrers-ignore-subject")
	defer p.Close()
	put := func(repo, body string) {
		req, _ := http.NewRequest(http.MethodPut, p.URL+"/v2/"+repo+"/manifests/sha256:any", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	a := `{"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"x/a","subject":{"digest":"sha256:1"}}`
	b := `{"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"x/b","subject":{"digest":"sha256:2"}}`
	put("r", a)
	put("r", b)
	put("r", `{"mediaType":"application/vnd.oci.image.manifest.v1+json"}`) // no subject
	put("other", a)
	_, body := getList(t, p.URL+"/v2/r/referrers/sha256:1")
	var idx struct{ Manifests []referrer }
	if err := json.Unmarshal([]byte(body), &idx); err != nil || len(idx.Manifests) != 2 {
		t.Fatalf("referrers of sha256:1 in r: %s", body)
	}
	resp, body := getList(t, p.URL+"/v2/r/referrers/sha256:9?artifactType=x/b")
	if err := json.Unmarshal([]byte(body), &idx); err != nil || len(idx.Manifests) != 1 || idx.Manifests[0].ArtifactType != "x/b" || resp.Header.Get("OCI-Filters-Applied") != "artifactType" {
		t.Errorf("filtered referrers: %s", body)
	}
	// Deleted artifacts are no longer listed; with nothing to list, the
	// registry's own answer passes through.
	for _, d := range []string{idx.Manifests[0].Digest} {
		req, _ := http.NewRequest(http.MethodDelete, p.URL+"/v2/r/manifests/"+d, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if _, body := getList(t, p.URL+"/v2/r/referrers/sha256:9?artifactType=x/b"); !strings.Contains(body, `"seen"`) {
		t.Errorf("after the delete: %s", body)
	}
}
