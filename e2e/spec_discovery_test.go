package e2e

import (
	"reflect"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// specDiscoveryCaps are the capabilities of check.oci.spec.discovery
// (features/spec/discovery).
var specDiscoveryCaps = []string{"tag-list", "tag-list-pagination", "referrers-filter", "referrers-empty-list",
	"referrers-pagination", "referrers-tag-fallback", "catalog-pagination"}

func specDiscovery(s string) map[string]results.Status { return statusWords(specDiscoveryCaps, s) }

// specDiscoveryExpected is what each zoo registry does, seen with curl:
//   - tags/list answers 200 {"name":…,"tags":[…]} everywhere (crane with
//     Content-Type text/plain), in ASCIIbetical order (zzz-B, zzz-a, zzz-b,
//     zzz-c); ?n= and &last= work everywhere in the middle of the list;
//     Distribution sends Link: <…?last=…&n=…>; rel="next" (also on a page
//     that ends exactly at the last tag), olareg rel=next unquoted and only
//     while tags remain, crane never; only crane answers a page after the
//     last tag (last=zzz-c, or any last greater than every tag) with the
//     list from its start instead of [] (a client paging by last loops);
//     olareg drops the connection on ?n=0 (not judged);
//   - only zoo-olareg has the referrers API; the others answer 404
//     (Distribution "404 page not found", crane METHOD_UNKNOWN, olareg
//     without referrers an empty 404). olareg answers a subject without
//     referrers (pushed or absent, even an invalid digest) 200 with
//     "manifests": null, filtered by artifactType also null and without
//     OCI-Filters-Applied; a subject with referrers filtered by one type
//     lists only that type with OCI-Filters-Applied: artifactType, by a type
//     nothing has [] with the header; it never paginates (?n= ignored, no
//     Link);
//   - an index pushed under the referrers tag sha256-<hex> listing an
//     artifact (itself pushed first: Distribution, crane and olareg refuse
//     an index naming a manifest they do not hold) is 201 and reads back
//     byte for byte everywhere;
//   - /v2/_catalog: Distribution sorts, honours n and last and sends Link
//     rel="next"; crane lists in no order, honours n, ignores last and
//     sends no Link; olareg has no catalog (404, empty body).
var specDiscoveryExpected = map[string]map[string]results.Status{
	zoo.NameDistribution:         specDiscovery("yes yes no no no yes yes"),
	zoo.NameDistributionNoDelete: specDiscovery("yes yes no no no yes yes"),
	zoo.NameCrane:                specDiscovery("yes no no no no yes no"),
	zoo.NameOlareg:               specDiscovery("yes yes yes yes yes yes no"),
	zoo.NameOlaregNoReferrers:    specDiscovery("yes yes no no no yes no"),
}

// specDiscoveryDeviations are the spec sections each registry deviates
// from, by capability: olareg answers a referrers request for an invalid
// digest (sha256:not-a-digest) 200 with a list where the spec says 400
// MUST, and "manifests": null where it says an empty list MUST be
// returned (curl; the others answer the invalid digest 404, having no
// referrers API).
var specDiscoveryDeviations = map[string]map[string][]string{
	zoo.NameOlareg: {"referrers-empty-list": {"Listing Referrers", "Listing Referrers"}},
}

// specDiscoveryReasons are words the reason of an unsupported verdict must
// hold: it names what the registry did.
var specDiscoveryReasons = map[string]map[string]string{
	zoo.NameCrane: {
		"tag-list-pagination": "last=zzzz-ocicaps-page-3",
		"catalog-pagination":  "has no RFC 5988 Link with rel=next",
		"referrers-filter":    "METHOD_UNKNOWN",
	},
	zoo.NameOlareg:            {"catalog-pagination": "no catalog endpoint"},
	zoo.NameOlaregNoReferrers: {"referrers-empty-list": "404", "catalog-pagination": "no catalog endpoint"},
	zoo.NameDistribution:      {"referrers-pagination": "404"},
}

func TestSpecDiscovery(t *testing.T) {
	r := verifyAll(t)
	for _, name := range order {
		reg := registry(t, r.run, name)
		got := map[string]results.Status{}
		for _, c := range capsOf(t, reg, "check.oci.spec.discovery", specDiscoveryCaps) {
			got[c.ID] = c.Status
			// Asking and doing agree on the zoo; referrers-tag-fallback
			// has no probe (it must write).
			wantProbe := c.Status
			if c.ID == "referrers-tag-fallback" {
				wantProbe = ""
			}
			if c.Probe != wantProbe || c.Verified != c.Status || c.Mismatch {
				t.Errorf("%s/%s: probe %q verified %s status %s mismatch %v", name, c.ID, c.Probe, c.Verified, c.Status, c.Mismatch)
			}
			var sections []string
			for _, d := range c.Deviations {
				sections = append(sections, d.Section)
			}
			if want := specDiscoveryDeviations[name][c.ID]; !reflect.DeepEqual(sections, want) {
				t.Errorf("%s/%s: deviations %v, want %v", name, c.ID, sections, want)
			}
			if c.ID == "referrers-empty-list" && len(c.Deviations) == 2 &&
				(!strings.Contains(c.Deviations[0].Rule, "invalid digest MUST answer 400 Bad Request; the registry answered 200") ||
					!strings.Contains(c.Deviations[1].Rule, "manifests: null")) {
				t.Errorf("%s/%s: the deviations do not say what the registry answered: %q, %q", name, c.ID, c.Deviations[0].Rule, c.Deviations[1].Rule)
			}
			if w := specDiscoveryReasons[name][c.ID]; w != "" && !strings.Contains(c.Reason, w) {
				t.Errorf("%s/%s: reason %q lacks %q", name, c.ID, c.Reason, w)
			}
		}
		if !reflect.DeepEqual(got, specDiscoveryExpected[name]) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, specDiscoveryExpected[name])
		}
	}
}
