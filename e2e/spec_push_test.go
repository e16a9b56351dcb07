package e2e

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// specPushBlobCaps are the blob capabilities of check.oci.spec.push
// (features/spec/push); the check's manifest capabilities are asserted
// elsewhere.
// specPushCaps are all the capabilities of check.oci.spec.push: the blob
// ones here, the manifest ones in spec_push_manifests_test.go.
func specPushCaps() []string { return append(slices.Clone(specPushBlobCaps), specPushManifestCaps...) }

var specPushBlobCaps = []string{"monolithic-upload", "digest-validation", "upload-cancel", "chunked-out-of-order",
	"sha512-digests", "mount-without-from", "mount-missing-blob"}

func specPushBlobs(s string) map[string]results.Status { return statusWords(specPushBlobCaps, s) }

// specPushBlobsExpected is what each zoo registry does, seen with curl:
//   - POST then PUT of a blob with ?digest=: 201 everywhere; Distribution
//     with Location and Docker-Content-Digest, crane with
//     Docker-Content-Digest but no Location (a deviation), olareg with
//     Location but no Docker-Content-Digest (which the spec does not ask
//     of an upload); the blob reads back the same everywhere;
//   - PUT closing a session holding 100 bytes with the digest of other
//     bytes: 400 DIGEST_INVALID on Distribution and crane, 400
//     BLOB_UPLOAD_INVALID on olareg (a deviation); HEAD of both digests
//     404 afterwards everywhere;
//   - DELETE of an upload session (empty, or after a PATCH through its
//     latest Location): Distribution 204, then GET 404 BLOB_UPLOAD_UNKNOWN;
//     olareg 202, then GET 400 BLOB_UPLOAD_UNKNOWN (a deviation: 404);
//     crane 400 NAME_INVALID "invalid digest" (cannot cancel);
//   - PATCH 0-9 then 20-29: 416 everywhere (RANGE_INVALID on
//     Distribution, BLOB_UPLOAD_UNKNOWN on crane, SIZE_INVALID on olareg);
//     the session still holds 0-9 and a closing PUT ?digest= carrying
//     bytes 10-29 (the final chunk) answers 201 everywhere: no deviation
//     (TestDeviationsOfRulesKeptOnTheZoo);
//   - POST ?digest-algorithm=sha512 then PUT ?digest=sha512:…: 201
//     everywhere, and GET by the sha512 digest 200 with the bytes
//     (Distribution's Location and Docker-Content-Digest name the sha256
//     digest, which the spec allows);
//   - POST ?mount=<digest> without from, the blob in another repository:
//     202 with an upload session everywhere (crane's blob is then in the
//     target anyway: its storage is global);
//   - POST ?mount=<absent digest>&from=…: 202 with a Location everywhere,
//     and a PUT of the blob through that session 201, read back 200.
var specPushBlobsExpected = map[string]map[string]results.Status{
	zoo.NameDistribution:         specPushBlobs("yes yes yes yes yes no yes"),
	zoo.NameDistributionNoDelete: specPushBlobs("yes yes yes yes yes no yes"),
	zoo.NameCrane:                specPushBlobs("yes yes no yes yes no yes"),
	zoo.NameOlareg:               specPushBlobs("yes yes yes yes yes no yes"),
	zoo.NameOlaregNoReferrers:    specPushBlobs("yes yes yes yes yes no yes"),
}

// specPushBlobsDeviations are the sections each capability deviates from,
// from the same observations.
var specPushBlobsDeviations = map[string]map[string][]string{
	zoo.NameCrane: {"monolithic-upload": {"Pushing a blob monolithically"}},
	zoo.NameOlareg: {
		"digest-validation": {"Error Codes"},
		"upload-cancel":     {"Endpoints"},
	},
	zoo.NameOlaregNoReferrers: {
		"digest-validation": {"Error Codes"},
		"upload-cancel":     {"Endpoints"},
	},
}

// specPushBlobsProbed have probe scenarios besides their verify ones.
var specPushBlobsProbed = map[string]bool{"upload-cancel": true, "mount-missing-blob": true}

func TestSpecPushBlobs(t *testing.T) {
	r := verifyAll(t)
	for _, name := range order {
		reg := registry(t, r.run, name)
		got := map[string]results.Status{}
		deviations := map[string][]string{}
		for _, c := range capsOf(t, reg, "check.oci.spec.push", specPushCaps()) {
			if !slices.Contains(specPushBlobCaps, c.ID) {
				continue
			}
			got[c.ID] = c.Status
			if specPushBlobsProbed[c.ID] && (c.Probe != c.Status || c.Verified != c.Status || c.Mismatch) {
				t.Errorf("%s/%s: probe %s verified %s status %s mismatch %v: asking and doing agree on the zoo",
					name, c.ID, c.Probe, c.Verified, c.Status, c.Mismatch)
			}
			for _, d := range c.Deviations {
				deviations[c.ID] = append(deviations[c.ID], d.Section)
				if d.Evidence.Method == "" || d.Evidence.Status == 0 || !strings.Contains(d.Rule, "answered") {
					t.Errorf("%s/%s: deviation without its evidence or the answer in the rule: %+v", name, c.ID, d)
				}
			}
			switch {
			case c.ID == "upload-cancel" && c.Status == results.Unsupported && !strings.Contains(c.Reason, "NAME_INVALID"):
				t.Errorf("%s/upload-cancel: the reason does not name the refusal: %q", name, c.Reason)
			case c.ID == "mount-without-from" && c.Status == results.Unsupported && !strings.Contains(c.Reason, "answered 202"):
				t.Errorf("%s/mount-without-from: the reason does not say the registry opened a session: %q", name, c.Reason)
			}
		}
		if !reflect.DeepEqual(got, specPushBlobsExpected[name]) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, specPushBlobsExpected[name])
		}
		want := specPushBlobsDeviations[name]
		if want == nil {
			want = map[string][]string{}
		}
		if !reflect.DeepEqual(deviations, want) {
			t.Errorf("%s: deviations\n got %v\nwant %v", name, deviations, want)
		}
	}
}

// Without verify mode, the check runs its probes only: the verify-only
// capabilities get no verdict, and the header says how many need --verify.
func TestSpecPushBlobsProbeOnly(t *testing.T) {
	cfg := writeConfig(t, order[:1], nil)
	r := runOcicaps(t, "--config", cfg, "--check", "check.oci.spec.push")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, " need --verify) (@check:check.oci.spec.push)") || strings.Contains(r.stderr, "warning") {
		t.Errorf("the header does not count the verify-only capabilities, or warns:\n%s", r.stderr)
	}
	reg := registry(t, r.run, order[0])
	for _, c := range reg.Capabilities {
		if slices.Contains(specPushBlobCaps, c.ID) && !specPushBlobsProbed[c.ID] {
			t.Errorf("%s: verify-only capability %s has a verdict without --verify: %s", reg.Name, c.ID, c.Status)
		}
	}
	for id := range specPushBlobsProbed {
		if _, ok := specPushCapability(reg, id); !ok {
			t.Errorf("%s: probed capability %s has no verdict", reg.Name, id)
		}
	}
}

func specPushCapability(reg results.Registry, id string) (results.Capability, bool) {
	for _, c := range reg.Capabilities {
		if c.ID == id {
			return c, true
		}
	}
	return results.Capability{}, false
}
