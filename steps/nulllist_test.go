package steps

import (
	"net/http"
	"testing"

	"github.com/ocicaps/ocicaps/client"
)

// The rule for null lists: null and [] are no items; a missing field, a
// list with items or a non-list are not. An index whose manifests is null
// is an index of no manifests for the condition that allows it, and none
// for the one that does not (its meaning is unchanged).
func TestNullListRule(t *testing.T) {
	resp := func(body string) *client.Response {
		return &client.Response{Status: 200, Header: http.Header{"Content-Type": {"application/vnd.oci.image.index.v1+json"}}, Body: []byte(body)}
	}
	for body, want := range map[string]bool{
		`{"tags":null}`: true, `{"tags":[]}`: true, `{"tags":["a"]}`: false, `{}`: false, `{"tags":"x"}`: false,
	} {
		got, seen, err := jsonListEmptyOrNull(nil, resp(body), []string{"tags"})
		if err != nil || got != want {
			t.Errorf("%s: %v (%s, %v), want %v", body, got, seen, err, want)
		}
	}
	idx := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":null}`
	if ok, seen, err := indexManifestsMayBeNull(nil, resp(idx), nil); !ok || err != nil {
		t.Errorf("null manifests: %v (%s, %v), want an index", ok, seen, err)
	}
	if ok, _, _ := ociIndex.eval(nil, resp(idx), nil); ok {
		t.Error(`"the response body is an OCI image index" now holds for null manifests: its meaning changed`)
	}
	for _, body := range []string{`{"schemaVersion":2,"manifests":null}`, `{"schemaVersion":1,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`, `[`} {
		r := resp(body)
		r.Header.Set("Content-Type", "application/json")
		if ok, _, _ := indexManifestsMayBeNull(nil, r, nil); ok {
			t.Errorf("%s: taken for an index", body)
		}
	}
}
