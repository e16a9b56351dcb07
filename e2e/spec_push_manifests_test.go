package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// specPushManifestCaps are the manifest capabilities of
// check.oci.spec.push (features/spec/push); the blob ones are asserted by
// TestSpecPushBlobs.
var specPushManifestCaps = []string{"manifest-push", "oci-index", "artifact-manifest", "subject-absent", "oci-subject-header", "large-manifest"}

func specPushManifests(s string) map[string]results.Status {
	return statusWords(specPushManifestCaps, s)
}

// specPushManifestsExpected is what each zoo registry does, seen with curl:
//   - every registry answers a PUT of an OCI image manifest by tag and by
//     digest 201 with Docker-Content-Digest equal to the sha256 of the
//     bytes sent, and HEAD of the tag or digest then answers 200; all but
//     crane send Location (Distribution absolute, olareg relative,
//     /v2/<name>/manifests/<digest>); crane sends none;
//   - every registry stores an index of two pushed manifests (201) and
//     serves it by tag and by digest byte for byte as
//     application/vnd.oci.image.index.v1+json;
//   - every registry accepts a manifest with artifactType and the empty
//     config (sha256:44136fa3…, size 2) once the "{}" blob is pushed, and
//     serves it byte for byte (Distribution and olareg refuse it with 400
//     MANIFEST_BLOB_UNKNOWN while the blob is missing; crane does not check);
//   - every registry accepts a manifest whose subject is a digest it does
//     not hold (201, HEAD 200);
//   - only olareg (referrers on) answers a push with a subject with
//     OCI-Subject: <subject digest>, and its referrers API answers 200 for
//     the subject beforehand; the others send no OCI-Subject, and their
//     referrers API answers 404 (Distribution "404 page not found", crane
//     METHOD_UNKNOWN, olareg-noreferrers an empty 404): no deviation;
//   - every registry accepts a manifest of 4194304 bytes (4 MiB) and reads
//     it back; Distribution refuses 4194305 bytes with 400 MANIFEST_INVALID
//     "http: request body too large" (not 413), the others accept 8 MiB;
//   - a manifest naming a layer never pushed is refused 400
//     MANIFEST_BLOB_UNKNOWN by Distribution and olareg (HEAD of it then
//     404), accepted 201 by crane, as the spec allows: no deviation from
//     "Push" (TestDeviationsOfRulesKeptOnTheZoo asserts the answers).
var specPushManifestsExpected = map[string]map[string]results.Status{
	zoo.NameDistribution:         specPushManifests("yes yes yes yes no yes"),
	zoo.NameDistributionNoDelete: specPushManifests("yes yes yes yes no yes"),
	zoo.NameCrane:                specPushManifests("yes yes yes yes no yes"),
	zoo.NameOlareg:               specPushManifests("yes yes yes yes yes yes"),
	zoo.NameOlaregNoReferrers:    specPushManifests("yes yes yes yes no yes"),
}

// specPushManifestsDeviations are the deviations each registry shows on
// these capabilities, by capability and spec section, and a word of the
// rule: crane's 201 to a manifest PUT carries no Location (by tag and by
// digest: one rule, recorded once).
var specPushManifestsDeviations = map[string]map[string][]string{
	zoo.NameCrane: {"manifest-push": {"Pushing Manifests: Location"}},
}

func TestSpecPushManifests(t *testing.T) {
	r := verifyAll(t)
	mine := map[string]bool{}
	for _, id := range specPushManifestCaps {
		mine[id] = true
	}
	for _, name := range order {
		reg := registry(t, r.run, name)
		got := map[string]results.Status{}
		deviations := map[string][]string{}
		for _, c := range capsOf(t, reg, "check.oci.spec.push", specPushCaps()) {
			if !mine[c.ID] {
				continue
			}
			got[c.ID] = c.Status
			// Verify only: the verified verdict is the status, no probe to disagree with.
			if c.Verified != c.Status || c.Probe != "" || c.Mismatch {
				t.Errorf("%s/%s: probe %q verified %s status %s mismatch %v", name, c.ID, c.Probe, c.Verified, c.Status, c.Mismatch)
			}
			for _, d := range c.Deviations {
				want := specPushManifestsDeviations[name][c.ID]
				matched := false
				for _, w := range want {
					section, word, _ := strings.Cut(w, ": ")
					if d.Section == section && strings.Contains(d.Rule, word) {
						matched = true
						deviations[c.ID] = append(deviations[c.ID], w)
					}
				}
				if !matched {
					t.Errorf("%s/%s: unexpected deviation %q: %s", name, c.ID, d.Section, d.Rule)
				}
				if d.Evidence.Method != "PUT" || d.Evidence.Status != 201 || !strings.Contains(d.Evidence.URL, "/manifests/") {
					t.Errorf("%s/%s: deviation evidence is not the manifest PUT: %+v", name, c.ID, d.Evidence)
				}
			}
			if c.ID == "oci-subject-header" {
				checkSubjectFacts(t, name, c)
			}
		}
		if !reflect.DeepEqual(got, specPushManifestsExpected[name]) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, specPushManifestsExpected[name])
		}
		for id := range deviations {
			sort.Strings(deviations[id])
		}
		want := specPushManifestsDeviations[name]
		if want == nil {
			want = map[string][]string{}
		}
		if !reflect.DeepEqual(deviations, want) {
			t.Errorf("%s: deviations\n got %v\nwant %v", name, deviations, want)
		}
	}
}

// checkSubjectFacts: the verdict on OCI-Subject rests on what the
// referrers API answered before the push (the spec's condition) and on the
// header itself; both are shown as facts.
func checkSubjectFacts(t *testing.T, name string, c results.Capability) {
	t.Helper()
	facts := map[string]string{}
	for _, f := range c.Facts {
		facts[f.Name] = f.Value
	}
	before := facts["referrers API before the push"]
	switch {
	case c.Status == results.Supported && (!strings.HasSuffix(before, ": 200 OK") || !strings.HasPrefix(facts["OCI-Subject"], "sha256:")):
		t.Errorf("%s: OCI-Subject supported, but the facts say %v", name, facts)
	case c.Status == results.Unsupported && (!strings.Contains(before, ": 404 Not Found") || facts["OCI-Subject"] != ""):
		t.Errorf("%s: OCI-Subject unsupported on a registry whose referrers API answers 404; the facts say %v", name, facts)
	}
}

// TestSpecPushOCISubjectDropped puts a proxy that drops OCI-Subject (one of
// the causes the feature names) in front of zoo-olareg, whose referrers API
// answers 200: the push is then unsupported for the header and, as the
// registry supports referrers, deviates from "Pushing Manifests with
// Subject". No zoo registry shows this deviation by itself.
func TestSpecPushOCISubjectDropped(t *testing.T) {
	front := proxyRewriting(t, zoo.NameOlareg, func(r *http.Response) { r.Header.Del("OCI-Subject") })
	reg := runOneFeature(t, "olareg-behind-proxy", front, "oci-subject-header")
	c := reg.Capabilities[0]
	if c.ID != "oci-subject-header" || c.Status != results.Unsupported || !strings.Contains(c.Reason, "without OCI-Subject") {
		t.Errorf("%s: %s %q, want unsupported without OCI-Subject", c.ID, c.Status, c.Reason)
	}
	if len(c.Deviations) != 1 {
		t.Fatalf("deviations %+v, want one", c.Deviations)
	}
	d := c.Deviations[0]
	if d.Section != "Pushing Manifests with Subject" || !strings.Contains(d.Rule, "MUST answer") || !strings.Contains(d.Rule, "without it") ||
		d.Evidence.Method != "PUT" || d.Evidence.Status != 201 || !strings.Contains(d.Evidence.URL, "/manifests/sha256:") {
		t.Errorf("deviation %+v", d)
	}
	if len(reg.Leftovers) != 0 {
		t.Errorf("olareg deletes what is pushed; leftovers %+v", reg.Leftovers)
	}
}

// TestSpecPushManifestHeadersWrong puts a proxy in front of
// zoo-distribution that drops Location from the answers to manifest PUTs
// and replaces their Docker-Content-Digest with another digest: the pushes
// still work (manifest-push supported), with both MUST violations recorded
// once each. On the zoo only the first is seen (crane), by itself.
func TestSpecPushManifestHeadersWrong(t *testing.T) {
	const wrong = "sha256:0000000000000000000000000000000000000000000000000000000000000000"
	front := proxyRewriting(t, zoo.NameDistribution, func(r *http.Response) {
		if r.Request.Method == http.MethodPut && strings.Contains(r.Request.URL.Path, "/manifests/") {
			r.Header.Del("Location")
			r.Header.Set("Docker-Content-Digest", wrong)
		}
	})
	reg := runOneFeature(t, "distribution-behind-proxy", front, "manifest-push")
	c := reg.Capabilities[0]
	if c.Status != results.Supported {
		t.Errorf("manifest-push %s %q: the pushes work, only their answers are wrong", c.Status, c.Reason)
	}
	var got []string
	for _, d := range c.Deviations {
		got = append(got, d.Section+": "+d.Rule)
		if d.Evidence.Method != "PUT" || d.Evidence.Status != 201 || !strings.HasSuffix(d.Evidence.URL, "/manifests/push-by-tag") {
			t.Errorf("evidence %+v: the first push, by tag", d.Evidence)
		}
	}
	want := []string{
		"Pushing Manifests: the 201 Created of a manifest PUT MUST carry Location: <a pullable manifest URL>; the registry answered 201 Created without it",
		"Pushing Manifests: the Docker-Content-Digest of a manifest PUT MUST equal the digest of the bytes sent; the registry answered 201 Created with none or another",
	}
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("deviations\n got %q\nwant %q", got, want)
	}
	if len(reg.Leftovers) != 0 {
		t.Errorf("Distribution deletes what is pushed (by digest, not by the missing Location); leftovers %+v", reg.Leftovers)
	}
}

// proxyRewriting serves a zoo registry through a proxy that rewrites its
// answers.
func proxyRewriting(t *testing.T, name string, rewrite func(*http.Response)) string {
	t.Helper()
	backend, _ := url.Parse(instances[name].URL)
	proxy := httputil.NewSingleHostReverseProxy(backend)
	proxy.ModifyResponse = func(r *http.Response) error {
		rewrite(r)
		return nil
	}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)
	return front.URL
}

// runOneFeature runs one built-in feature of features/spec/push in verify
// mode against one registry and returns it, with that one capability.
func runOneFeature(t *testing.T, name, u, id string) results.Registry {
	t.Helper()
	dir := t.TempDir()
	feature, err := os.ReadFile(filepath.Join(root, "features", "spec", "push", id+".feature"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, id+".feature"), string(feature), 0o644)
	cfg := writeRawConfig(t, "registries:\n  - name: "+name+"\n    url: "+u+"\n")
	r := runOcicaps(t, "--config", cfg, "--features", dir, "--verify")
	if r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	reg := registry(t, r.run, name)
	if len(reg.Capabilities) != 1 || reg.Capabilities[0].ID != id {
		t.Fatalf("capabilities %+v, want %s alone", reg.Capabilities, id)
	}
	return reg
}
