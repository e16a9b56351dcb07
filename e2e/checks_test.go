package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// expectedOthers holds the verdicts of the related checks and the extended
// capabilities on each zoo registry, as observed with curl (zoo/README.md):
// only Distribution and crane have a catalog; Distribution and olareg
// report an empty upload session with 204 and a Range the spec does not
// define ("0-0", olareg "0--1"), which the probe accepts, crane answers the
// session's GET 400; Distribution ignores ?digest= on POST and opens a session;
// olareg's referrers index has "manifests": null, an empty list with a
// deviation by the rule for null lists (curl: 200 and
// {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":null}
// for a manifest without referrers); of the spec's pull
// capabilities only blob-range is missing, on crane (see spec_pull_test.go);
// of the spec's push capabilities only upload-cancel and mount-missing-blob
// have probes (the others are verify only), and crane cannot cancel an
// upload session (see spec_push_test.go); the management probes DELETE
// absent content: refused (405) where deletes are off, and crane's 500 for
// an absent blob leaves its delete-blob probe unsupported (see
// spec_management_test.go); the probes of the spec's discovery
// capabilities as in spec_discovery_test.go (referrers-tag-fallback is
// verify only).
var expectedOthers = map[string]map[string]results.Status{
	zoo.NameDistribution:         others("yes no yes yes yes  yes yes no  yes yes yes  yes yes  yes yes yes yes  yes yes no no no yes"),
	zoo.NameDistributionNoDelete: others("yes no yes yes yes  yes yes no  yes yes yes  yes yes  no no no yes  yes yes no no no yes"),
	zoo.NameCrane:                others("yes no yes yes yes  yes no yes  yes yes no  no yes  yes yes no yes  yes no no no no no"),
	zoo.NameOlareg:               others("yes yes yes yes yes  no yes yes  yes yes yes  yes yes  yes yes yes yes  yes yes yes yes yes no"),
	zoo.NameOlaregNoReferrers:    others("yes no yes yes yes  no yes yes  yes yes yes  yes yes  no no no yes  yes yes no no no no"),
}

var otherCaps = []string{"connectivity", "referrers-lookup", "credentials", "pull", "push", "catalog", "upload-status", "single-post-upload",
	"manifest-fidelity", "missing-content", "blob-range", "upload-cancel", "mount-missing-blob",
	"delete-tag", "delete-manifest", "delete-blob", "error-format",
	"tag-list", "tag-list-pagination", "referrers-filter", "referrers-empty-list", "referrers-pagination", "catalog-pagination"}

func others(s string) map[string]results.Status { return statusWords(otherCaps, s) }

func TestZooAllChecks(t *testing.T) {
	cfg := writeConfig(t, order, nil)
	r := runOcicaps(t, "--config", cfg, "--check", "all")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	probeSum := sha256.Sum256([]byte("ocicaps single-POST upload probe"))
	probeBlob := "sha256:" + hex.EncodeToString(probeSum[:])
	for _, name := range order {
		reg := registry(t, r.run, name)
		got := map[string]results.Status{}
		for _, c := range reg.Capabilities {
			got[c.ID] = c.Status
		}
		want := map[string]results.Status{}
		for k, v := range expected[name].caps {
			want[k] = v
		}
		for k, v := range expectedOthers[name] {
			want[k] = v
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, want)
		}
		if reg.MaxScore != 28 {
			t.Errorf("%s: max score %d, want 28 (every capability of every check with a probe)", name, reg.MaxScore)
		}
		checkNoTrace(t, reg)
		// crane stores the single-POST blob without a Location, so look
		// for it by digest: it is gone unless reported as left over.
		blobURL := instances[name].URL + "/v2/library/ocicaps-mount-probe/blobs/" + probeBlob
		listed := false
		for _, l := range reg.Leftovers {
			listed = listed || l.URL == blobURL
		}
		if st := httpStatus(t, "HEAD", blobURL); (st == 200) != listed {
			t.Errorf("%s: probe blob HEAD %d, listed as leftover: %v", name, st, listed)
		}
	}
	validateJUnit(t, filepath.Join(r.out, "junit.xml"))
}

// TestNewCapabilityFromFeatureFile is what a scenario author does: write a
// feature file with the documented vocabulary only, then run it with
// --features. One capability the registry has, one it lacks.
func TestNewCapabilityFromFeatureFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("range.feature", `@capability:blob-range-requests @check:check.example.blobs @severity:info
Feature: Blob range requests
  Resuming a pull needs partial blob downloads.

  Scenario: A blob can be fetched in part
    Given I save a blob digest of the manifest "{repository}:{tag}" as "blob"
    And the request header "Range" is "bytes=0-9"
    When I send a GET request to "/v2/{repository}/blobs/{blob}"
    Then the capability is supported when the status is 206 and the response header "Content-Range" matches "^bytes 0-9/[0-9]+$"
`)
	write("any-accept.feature", `@capability:manifest-any-accept @check:check.example.blobs @severity:warn
Feature: Manifests for clients that accept anything
  Old clients send Accept: */* and expect the manifest in whatever form the registry holds.

  Scenario: The manifest is served for Accept */*
    Given the request header "Accept" is "*/*"
    When I send a GET request to "/v2/{repository}/manifests/{tag}"
    Then the capability is unsupported when the status is 404 because "the registry refuses Accept */*: {answer}"
    And the capability is supported when the status is 200 and the response header "Docker-Content-Digest" is present
`)
	out, err := runValidate(t, dir)
	if err != nil {
		t.Fatalf("validate: %v\n%s", err, out)
	}
	cfg := writeConfig(t, []string{zoo.NameDistribution, zoo.NameCrane}, nil)
	r := runOcicaps(t, "--config", cfg, "--features", dir)
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	want := map[string]map[string]results.Status{
		// Distribution answers */* with 404 MANIFEST_UNKNOWN for an OCI
		// manifest; crane serves it.
		zoo.NameDistribution: {"blob-range-requests": results.Supported, "manifest-any-accept": results.Unsupported},
		zoo.NameCrane:        {"blob-range-requests": results.Supported, "manifest-any-accept": results.Supported},
	}
	for name, w := range want {
		reg := registry(t, r.run, name)
		got := map[string]results.Status{}
		for _, c := range reg.Capabilities {
			got[c.ID] = c.Status
			if c.ID == "manifest-any-accept" && c.Status == results.Unsupported && !strings.Contains(c.Reason, "the registry refuses Accept */*: 404 Not Found (MANIFEST_UNKNOWN") {
				t.Errorf("%s: the author's reason was not used: %q", name, c.Reason)
			}
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: got %v, want %v", name, got, w)
		}
	}
	dist := registry(t, r.run, zoo.NameDistribution)
	if dist.Severity != results.Warn {
		t.Errorf("severity %s, want warn from the new feature's @severity:warn", dist.Severity)
	}
}
