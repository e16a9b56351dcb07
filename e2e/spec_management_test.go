package e2e

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// specManagementCaps are the capabilities of check.oci.spec.management
// (features/spec/management).
var specManagementCaps = []string{"delete-tag", "delete-manifest", "delete-blob", "error-format"}

func specManagement(s string) map[string]results.Status { return statusWords(specManagementCaps, s) }

// specManagementExpected is what each zoo registry does, seen with curl
// (a manifest pushed with a tag, a 512-byte blob, then DELETE and GET):
//   - Distribution (deletes on), crane and olareg answer DELETE of a tag
//     202, then GET of the tag 404 while GET by digest still answers 200;
//   - the same three answer DELETE of a manifest by digest 202 and GET by
//     digest 404, a second DELETE 404 MANIFEST_UNKNOWN; on Distribution and
//     olareg GET of its tag then answers 404, but crane keeps serving the
//     deleted manifest by its tag (200), where the spec says any tag
//     pointing to the digest then answers 404;
//   - the same three answer DELETE of a manifest digest in a repository
//     that does not exist 404 (Distribution and olareg MANIFEST_UNKNOWN,
//     crane NAME_UNKNOWN): no deviation (TestDeviationsOfRulesKeptOnTheZoo); the two
//     with deletes off are never asked, their first DELETE being 405;
//   - the same three answer DELETE of a blob 202 and GET then 404; a second
//     DELETE (the blob is gone) is 404 BLOB_UNKNOWN on Distribution and
//     olareg, 500 INTERNAL_SERVER_ERROR "not found" on crane;
//   - zoo-distribution-nodelete answers every DELETE 405 UNSUPPORTED,
//     zoo-olareg-noreferrers 405 with an empty body: deletion disabled, as
//     the spec says it may be (400 or 405);
//   - every registry answers an unknown manifest, an unknown blob, a
//     malformed digest (sha256:not-a-digest) and an unknown upload session
//     with {"errors":[{"code":…}]}, one error with a code of the spec's table (crane:
//     NAME_INVALID "invalid digest" for the last two, a code of the table
//     that names another condition, not judged); the tags of a repository
//     that does not exist are 404 NAME_UNKNOWN, except on olareg, which
//     answers 200 with an empty list (every name is a repository there);
//   - none of these answers carries a Warning header, on any of the five
//     (nor /v2/ or the test image's manifest), so error-format records no
//     deviation from "Warnings" (TestDeviationsOfWarningsAProxyAdds adds
//     bad ones).
var specManagementExpected = map[string]map[string]results.Status{
	zoo.NameDistribution:         specManagement("yes yes yes yes"),
	zoo.NameDistributionNoDelete: specManagement("no no no yes"),
	zoo.NameCrane:                specManagement("yes no yes yes"),
	zoo.NameOlareg:               specManagement("yes yes yes yes"),
	zoo.NameOlaregNoReferrers:    specManagement("no no no yes"),
}

// specManagementProbes are the probes' verdicts: a DELETE of a tag, a
// manifest digest and a blob digest nothing has in mountRepository
// (seen with curl: Distribution and olareg 404 with MANIFEST_UNKNOWN or
// BLOB_UNKNOWN, crane 404 NAME_UNKNOWN for the tag and manifest but 500 for
// the blob, the two without deletes 405). error-format has no @verify
// scenario, so only the three deletes have a probe verdict of their own.
var specManagementProbes = map[string]map[string]results.Status{
	zoo.NameDistribution:         specManagement("yes yes yes"),
	zoo.NameDistributionNoDelete: specManagement("no no no"),
	zoo.NameCrane:                specManagement("yes yes no"),
	zoo.NameOlareg:               specManagement("yes yes yes"),
	zoo.NameOlaregNoReferrers:    specManagement("no no no"),
}

// specManagementDeviations are the deviations, as capability: section:
// only crane's 500 for a blob it does not hold (probe and verify scenario
// see the same answer, so it is listed once).
var specManagementDeviations = map[string][]string{
	zoo.NameCrane: {"delete-blob: Deleting Blobs"},
}

func TestSpecManagement(t *testing.T) {
	r := verifyAll(t)
	for _, name := range order {
		reg := registry(t, r.run, name)
		got := map[string]results.Status{}
		probes := map[string]results.Status{}
		var deviations []string
		for _, c := range capsOf(t, reg, "check.oci.spec.management", specManagementCaps) {
			got[c.ID] = c.Status
			for _, d := range c.Deviations {
				deviations = append(deviations, c.ID+": "+d.Section)
				if c.ID == "delete-blob" && (d.Evidence.Method != "DELETE" || d.Evidence.Status != 500 || !strings.Contains(d.Rule, "404")) {
					t.Errorf("%s/delete-blob: deviation evidence %+v, rule %q: want the DELETE answered 500 and the 404 the spec requires", name, d.Evidence, d.Rule)
				}
			}
			if c.ID == "error-format" {
				for _, ex := range c.Exchanges {
					if w, ok := ex.ResponseHeaders["Warning"]; ok {
						t.Errorf("%s/error-format: %s %s answered with Warning %q, which curl never saw", name, ex.Method, ex.URL, w)
					}
				}
				continue
			}
			probes[c.ID] = c.Probe
			if c.Verified != c.Status {
				t.Errorf("%s/%s: verified %s, status %s: in verify mode the verified verdict is the status", name, c.ID, c.Verified, c.Status)
			}
			if mismatch := c.Probe != c.Verified; c.Mismatch != mismatch {
				t.Errorf("%s/%s: probe %s verified %s, mismatch %v", name, c.ID, c.Probe, c.Verified, c.Mismatch)
			}
			if deletesOff := name == zoo.NameDistributionNoDelete || name == zoo.NameOlaregNoReferrers; deletesOff && !strings.Contains(c.Reason, "disabled") {
				t.Errorf("%s/%s: the reason does not say deletion is disabled: %q", name, c.ID, c.Reason)
			}
		}
		if !reflect.DeepEqual(got, specManagementExpected[name]) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, specManagementExpected[name])
		}
		if !reflect.DeepEqual(probes, specManagementProbes[name]) {
			t.Errorf("%s: probes\n got %v\nwant %v", name, probes, specManagementProbes[name])
		}
		sort.Strings(deviations)
		if !reflect.DeepEqual(deviations, specManagementDeviations[name]) {
			t.Errorf("%s: deviations %q, want %q", name, deviations, specManagementDeviations[name])
		}
	}
	crane := registry(t, r.run, zoo.NameCrane)
	for _, c := range crane.Capabilities {
		switch c.ID {
		case "delete-manifest":
			if !strings.Contains(c.Reason, "its tag delete-manifest still serves it") {
				t.Errorf("crane/delete-manifest: the reason does not name the tag that outlives its manifest: %q", c.Reason)
			}
		case "error-format":
			if v := fact(c, "an unknown upload"); !strings.Contains(v, "400 Bad Request (NAME_INVALID") {
				t.Errorf("crane/error-format: unknown upload fact %q, want crane's 400 NAME_INVALID", v)
			}
		}
	}
	for _, c := range registry(t, r.run, zoo.NameOlareg).Capabilities {
		if v := fact(c, "an unknown repository"); c.ID == "error-format" && !strings.HasSuffix(v, ": 200 OK") {
			t.Errorf("olareg/error-format: unknown repository fact %q, want olareg's 200", v)
		}
	}
}

func fact(c results.Capability, name string) string {
	for _, f := range c.Facts {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}
