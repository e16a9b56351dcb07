package steps

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/cucumber/godog"
)

func TestSavePadded(t *testing.T) {
	ctx := context.Background()
	st := newState(&Target{})
	st.vars["layer"] = "sha256:abc"
	doc := &godog.DocString{MediaType: "application/vnd.oci.image.manifest.v1+json",
		Content: `{"layers": [{"digest": "{layer}"}], "annotations": {"pad": "PADDING"}}`}
	for _, size := range []int{4 << 20, 100, 66} {
		if err := st.savePadded(ctx, "big", size, "PADDING", doc); err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		b := st.saved["big"]
		if len(b) != size {
			t.Errorf("%d bytes asked, %d kept", size, len(b))
		}
		var m struct {
			Layers      []struct{ Digest string }
			Annotations map[string]string
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%d bytes: not JSON any more: %v", size, err)
		}
		// The placeholder is filled before padding, so the size counts it.
		if m.Layers[0].Digest != "sha256:abc" || strings.Trim(m.Annotations["pad"], "x") != "" {
			t.Errorf("%d bytes: %+v", size, m)
		}
		sum := sha256.Sum256(b)
		if st.vars["big.digest"] != "sha256:"+hex.EncodeToString(sum[:]) || st.vars["big.size"] != strconv.Itoa(size) || !strings.HasPrefix(st.vars["big.sha512"], "sha512:") {
			t.Errorf("%d bytes: variables %q %q %q", size, st.vars["big.digest"], st.vars["big.size"], st.vars["big.sha512"])
		}
	}
	// The saved text is a body like any other.
	if err := st.bodySaved(ctx, "big"); err != nil || len(st.body) != 66 || st.vars["bodyDigest"] != st.vars["big.digest"] {
		t.Errorf("as a body: %d bytes, %v", len(st.body), err)
	}
	for _, c := range []struct {
		size    int
		marker  string
		content string
		want    string
	}{
		{65, "PADDING", doc.Content, "is 66 bytes without"},
		{100, "NOPE", doc.Content, `has no "NOPE" to pad at`},
		{100, "x", `"x": "x"`, `has "x" 2 times`},
		{16<<20 + 1, "PADDING", doc.Content, "choose 0 to 16777216"},
		{100, "P", `{undefined} P`, "undefined"},
	} {
		err := st.savePadded(ctx, "bad", c.size, c.marker, &godog.DocString{Content: c.content})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%d %q %q: %v, want %q", c.size, c.marker, c.content, err, c.want)
		}
		if _, kept := st.saved["bad"]; kept {
			t.Errorf("%d %q: kept a body after an error", c.size, c.marker)
		}
	}
}
