package e2e

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// specPullCaps are the capabilities of check.oci.spec.pull
// (features/spec/pull).
var specPullCaps = []string{"manifest-fidelity", "missing-content", "blob-range"}

func specPull(s string) map[string]results.Status { return statusWords(specPullCaps, s) }

// specPullExpected is what each zoo registry does, seen with curl:
//   - every registry serves a pushed manifest (spaced, unsorted keys) by tag
//     and by digest byte for byte, with the pushed Content-Type and a
//     Docker-Content-Digest equal to the body's sha256; the test image reads
//     the same by tag and by digest; an OCI index pushed with spacing reads
//     back the same way with Content-Type application/vnd.oci.image.index.v1+json;
//   - every registry answers an absent tag or manifest digest 404
//     MANIFEST_UNKNOWN, an absent blob 404 BLOB_UNKNOWN, HEAD of both 404;
//   - every registry answers bytes=10-19 of a 100-byte blob 206 with
//     Content-Range bytes 10-19/100 and 10 bytes, and bytes=100-199 416;
//     only crane answers the open range bytes=90- (and bytes=1- on the test
//     image's layer) 416 BLOB_UNKNOWN "We don't understand your Range"
//     instead of 206, and sends no Accept-Ranges on HEAD.
var specPullExpected = map[string]map[string]results.Status{
	zoo.NameDistribution:         specPull("yes yes yes"),
	zoo.NameDistributionNoDelete: specPull("yes yes yes"),
	zoo.NameCrane:                specPull("yes yes no"),
	zoo.NameOlareg:               specPull("yes yes yes"),
	zoo.NameOlaregNoReferrers:    specPull("yes yes yes"),
}

// specPullVerified are the capabilities with @verify scenarios: in verify
// mode both their probe and their verified verdicts are the status.
var specPullVerified = map[string]bool{"manifest-fidelity": true, "blob-range": true}

func TestSpecPull(t *testing.T) {
	r := verifyAll(t)
	for _, name := range order {
		reg := registry(t, r.run, name)
		got := map[string]results.Status{}
		for _, c := range capsOf(t, reg, "check.oci.spec.pull", specPullCaps) {
			got[c.ID] = c.Status
			if specPullVerified[c.ID] && (c.Probe != c.Status || c.Verified != c.Status || c.Mismatch) {
				t.Errorf("%s/%s: probe %s verified %s status %s mismatch %v: asking and doing agree on the zoo",
					name, c.ID, c.Probe, c.Verified, c.Status, c.Mismatch)
			}
			if c.ID == "blob-range" && c.Status == results.Unsupported && !strings.Contains(c.Reason, "bytes=90-") {
				t.Errorf("%s/blob-range: the reason does not name the open range crane refuses: %q", name, c.Reason)
			}
		}
		if !reflect.DeepEqual(got, specPullExpected[name]) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, specPullExpected[name])
		}
	}
}
