package zoo

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestRedirectedServesBlobsFromStorage: what a client of the redirected
// Distribution sees, request by request: a blob GET and HEAD answer 307 to
// the storage server on another loopback address, which serves the bytes
// (and ranges of them); the manifest is served by the registry itself.
func TestRedirectedServesBlobsFromStorage(t *testing.T) {
	inst := startT(t, Redirected())
	img, err := SeedImage()
	if err != nil {
		t.Fatal(err)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(method, url, rng string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequestWithContext(testCtx(t), method, url, nil)
		req.Header.Set("Accept", MediaTypeOCIManifest)
		if rng != "" {
			req.Header.Set("Range", rng)
		}
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	blob := inst.URL + "/v2/" + SeedRepo + "/blobs/" + img.LayerDigest
	for _, m := range []string{http.MethodGet, http.MethodHead} {
		resp, _ := get(m, blob, "")
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusTemporaryRedirect || !strings.HasPrefix(loc, inst.Storage.URL+"/docker/registry/v2/blobs/sha256/") {
			t.Fatalf("%s blob: %d, Location %q", m, resp.StatusCode, loc)
		}
	}
	resp, _ := get(http.MethodGet, blob, "")
	loc := resp.Header.Get("Location")
	resp, body := get(http.MethodGet, loc, "")
	if resp.StatusCode != 200 || !bytes.Equal(body, img.Layer) {
		t.Fatalf("storage GET: %d, %d bytes, want the layer's %d", resp.StatusCode, len(body), len(img.Layer))
	}
	resp, body = get(http.MethodGet, loc, "bytes=0-3")
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, img.Layer[:4]) {
		t.Fatalf("storage range GET: %d %q", resp.StatusCode, body)
	}
	resp, body = get(http.MethodGet, inst.URL+"/v2/"+SeedRepo+"/manifests/"+img.ManifestDigest, "")
	if resp.StatusCode != 200 || !bytes.Equal(body, img.Manifest) {
		t.Fatalf("manifest GET: %d", resp.StatusCode)
	}
	if inst.Storage.Requests() != 2 || len(inst.Storage.Credentials()) != 0 {
		t.Errorf("storage requests %d, credentials %v", inst.Storage.Requests(), inst.Storage.Credentials())
	}
}
