package e2e

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/internal/twist"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// The known incompatibilities of real registries (issue 21, items 4 and 6),
// each reproduced by a mode of internal/twist in front of a real zoo
// registry, and what ocicaps must report about it. What each mode does was
// seen with curl on the registry it imitates (the mode's Doc says which).

// twistAt starts the named twist mode in front of a registry of its own,
// configured as the named standard zoo registry: a quirk may leave things
// behind (every DELETE refused), and the shared zoo must stay clean for the
// tests that count what is on it.
func twistAt(t *testing.T, zooName, mode string) (*twist.Proxy, *zoo.Instance) {
	t.Helper()
	var spec zoo.Spec
	for _, s := range zoo.Standard() {
		if s.Name == zooName {
			spec = s
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin, err := zoo.EnsureBinaries(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	spec.Name = "twisted-" + mode
	inst, err := zoo.Start(ctx, bin, t.TempDir(), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inst.Stop() })
	p, err := twist.Start(inst.URL, mode)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p, inst
}

// runTwisted runs ocicaps with the given arguments against a twisted zoo
// registry and returns its registry's results.
func runTwisted(t *testing.T, p *twist.Proxy, name string, args ...string) results.Registry {
	t.Helper()
	cfg := writeRawConfig(t, "registries:\n  - name: "+name+"\n    url: "+p.URL+"\n")
	r := runOcicaps(t, append([]string{"--config", cfg}, args...)...)
	if r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	return registry(t, r.run, name)
}

func wantStatus(t *testing.T, reg results.Registry, id string, want results.Status, reasonHas ...string) results.Capability {
	t.Helper()
	c := capability(t, reg, id)
	if c.Status != want {
		t.Errorf("%s: %s = %s (%s), want %s", reg.Name, id, c.Status, c.Reason, want)
	}
	for _, s := range reasonHas {
		if !strings.Contains(c.Reason, s) {
			t.Errorf("%s: %s: reason %q should say %q", reg.Name, id, c.Reason, s)
		}
	}
	return c
}

// Distribution 2.8.2's 416 declares more body than it sends: ranges work
// (curl: 206 for 0-3, -50 and 10-), so blob-range is supported, and the
// exchange notes the short body.
func TestQuirkShort416Body(t *testing.T) {
	p, _ := twistAt(t, zoo.NameDistribution, "short-416-body")
	reg := runTwisted(t, p, "short416", "--check", "all", "--verify")
	c := wantStatus(t, reg, "blob-range", results.Supported)
	noted := false
	for _, ex := range c.Exchanges {
		if ex.Status == http.StatusRequestedRangeNotSatisfiable && strings.Contains(ex.Note, "ended after 32 of the 129 bytes") {
			noted = true
		}
	}
	if !noted {
		t.Errorf("blob-range: no 416 exchange notes the short body: %+v", c.Exchanges)
	}
}

// Distribution 2.8.2 refuses DELETE of a tag (400 DIGEST_INVALID) and
// removes tags with their manifest deleted by digest (curl: HEAD of both
// tags 404 after it). A whole verify run then leaves nothing and lists no
// leftover; delete-tag is unsupported.
func TestQuirkTagDeleteRefused(t *testing.T) {
	p, upstream := twistAt(t, zoo.NameDistribution, "tag-delete-refused")
	reg := runTwisted(t, p, "notagdelete", "--check", "all", "--verify")
	if len(reg.Leftovers) > 0 {
		t.Errorf("leftovers listed: %+v", reg.Leftovers)
	}
	wantStatus(t, reg, "delete-tag", results.Unsupported)
	wantStatus(t, reg, "tag-list-pagination", results.Supported)
	for _, repo := range reg.Scratch {
		resp, err := http.Get(upstream.URL + "/v2/" + repo + "/tags/list")
		if err != nil {
			t.Fatal(err)
		}
		var body strings.Builder
		_, _ = ioCopy(&body, resp)
		if resp.StatusCode == http.StatusOK && strings.Contains(body.String(), `"tags":["`) {
			t.Errorf("%s still has tags: %s", repo, body.String())
		}
	}
}

func ioCopy(w *strings.Builder, resp *http.Response) (int64, error) {
	defer resp.Body.Close()
	return io.Copy(w, resp.Body)
}

// The rule for null lists: null where a list belongs is no items, and a
// deviation where the spec requires the list. In front of olareg (whose
// referrers of a manifest without any are already "manifests": null, curl),
// every empty tag list is null too: the tag pages still end, and both
// referrers capabilities that meet the null list say the same about it.
func TestQuirkNullEmptyLists(t *testing.T) {
	p, _ := twistAt(t, zoo.NameOlareg, "null-empty-lists")
	reg := runTwisted(t, p, "nulllists", "--check", "all", "--verify")
	wantStatus(t, reg, "tag-list-pagination", results.Supported)
	for _, id := range []string{"referrers-lookup", "referrers-empty-list"} {
		c := wantStatus(t, reg, id, results.Supported)
		if !hasDeviation(c, "Listing Referrers", "If a query results in no matching referrers, an empty manifest list MUST be returned") {
			t.Errorf("%s: no deviation for manifests: null: %+v", id, c.Deviations)
		}
	}
}

func hasDeviation(c results.Capability, section, rulePrefix string) bool {
	for _, d := range c.Deviations {
		if d.Section == section && strings.HasPrefix(d.Rule, rulePrefix) {
			return true
		}
	}
	return false
}

// quirkCase is one hosted registry's incompatibility: the twist mode that
// reproduces it over a zoo registry, and what each named capability must
// say (its verdict, words its reason or one of its deviations must hold).
type quirkCase struct {
	mode, upstream string
	check          string // the --check that holds the capabilities named
	want           map[string]quirkWant
}

type quirkWant struct {
	status results.Status
	says   string // in the reason, or in a deviation's rule when deviation is set
	// deviation names the spec section of a deviation that must say it.
	deviation string
	// facts the capability must record, by name: words the value holds.
	facts map[string]string
}

var quirkCases = []quirkCase{
	// GHCR: every DELETE of the registry API answers 405 UNSUPPORTED.
	{"delete-unsupported", zoo.NameDistribution, "all", map[string]quirkWant{
		"delete":          {status: U, says: "clients cannot remove what they pushed through the registry API"},
		"delete-blob":     {status: U, says: "clients cannot remove what they pushed through the registry API"},
		"delete-manifest": {status: U, says: "clients cannot remove what they pushed through the registry API"},
		"delete-tag":      {status: U, says: "clients cannot remove what they pushed through the registry API"},
	}},
	// ECR: a PATCH taking a chunk answers 201; the upload still completes.
	{"patch-201", zoo.NameDistribution, "check.integration.oci.capabilities", map[string]quirkWant{
		"chunked-upload": {status: S, deviation: "Pushing a blob in chunks", says: "a PATCH that takes a chunk MUST answer 202 Accepted; the registry answered 201 Created"},
	}},
	// GAR: the referrers API redirects to an HTML sign-in page. olareg has
	// the API, so every verdict below is the redirect's.
	{"referrers-login-redirect", zoo.NameOlareg, "all", map[string]quirkWant{
		"referrers":            {status: U, says: "a redirect (Google Artifact Registry sends it to a sign-in page)"},
		"referrers-lookup":     {status: U, says: "a redirect (Google Artifact Registry sends it to a sign-in page)"},
		"referrers-filter":     {status: U, says: "a redirect"},
		"referrers-empty-list": {status: U, says: "a redirect"},
		"referrers-pagination": {status: U, says: "a redirect"},
	}},
	// GitLab: the referrers tag sha256-<hex> is read as the digest.
	{"digest-tag-as-digest", zoo.NameDistribution, "check.oci.spec.discovery", map[string]quirkWant{
		"referrers-tag-fallback": {status: U, says: "returned the subject manifest itself"},
	}},
	// ECR, Docker Hub: OCI-Subject sent by a registry without a referrers
	// API (the zoo's Distribution has none: 404).
	{"oci-subject-without-referrers", zoo.NameDistribution, "check.integration.oci.hosted", map[string]quirkWant{
		"oci-subject-consistent": {status: U, says: "answered OCI-Subject, but the referrers API answered 404 Not Found without that manifest: a client that follows the spec"},
	}},
	// ECR: a mount is performed only for a blob a manifest in the source
	// references; both mounts are reported.
	{"mount-needs-manifest", zoo.NameDistribution, "all", map[string]quirkWant{
		"mount-unreferenced-blob": {status: U, says: "(as ECR does): clients that mount layers before their manifest is pushed upload them again",
			facts: map[string]string{"mount of a blob a manifest references": "201 Created", "mount of a blob no manifest references": "202 Accepted"}},
		// The mount of an image's layer, as promotion between repositories
		// does it, works there.
		"cross-repo-mount": {status: S, says: "status 201"},
	}},
	// GHCR: request bodies over 4 MiB refused with 416.
	{"body-cap-4mib", zoo.NameDistribution, "check.integration.oci.hosted", map[string]quirkWant{
		"request-body-size": {status: U, says: "were 4 MiB in a PATCH and 4 MiB in a PUT",
			facts: map[string]string{"largest PATCH body accepted": "4 MiB", "largest PUT body accepted": "4 MiB", "PATCH of 8 MiB": "416"}},
	}},
	// Quay, GitLab: config media types outside an allow-list refused.
	{"config-allow-list", zoo.NameDistribution, "check.integration.oci.hosted", map[string]quirkWant{
		"config-media-types": {status: U, says: "OCI empty config: 400 Bad Request (MANIFEST_INVALID: manifest invalid); Helm: 201 Created; Flux: 400 Bad Request (MANIFEST_INVALID",
			facts: map[string]string{"config application/vnd.oci.empty.v1+json": "400", "config application/vnd.cncf.helm.config.v1+json": "201", "config application/vnd.cncf.flux.config.v1+json": "400"}},
	}},
	// Quay: a PUT to a sha256-<hex> tag is refused with 400.
	{"digest-tag-refused", zoo.NameDistribution, "check.oci.spec.discovery", map[string]quirkWant{
		"referrers-tag-fallback": {status: U, says: "(Quay refuses tags of the form sha256-<hex> so): without the referrers API, clients cannot attach"},
	}},
}

// Each hosted registry's incompatibility, reproduced over a real zoo
// registry, is reported by the capabilities that name it, with the client
// consequence; the same capabilities on the zoo registry without the
// quirk are asserted elsewhere (the spec area tests).
func TestHostedQuirksReported(t *testing.T) {
	for _, qc := range quirkCases {
		t.Run(qc.mode, func(t *testing.T) {
			p, _ := twistAt(t, qc.upstream, qc.mode)
			reg := runTwisted(t, p, qc.mode, "--check", qc.check, "--verify")
			for id, w := range qc.want {
				c := wantStatus(t, reg, id, w.status)
				switch {
				case w.deviation != "":
					if !hasDeviation(c, w.deviation, w.says) {
						t.Errorf("%s: %s: no deviation from %q starting %q: %+v", qc.mode, id, w.deviation, w.says, c.Deviations)
					}
				case !strings.Contains(c.Reason, w.says):
					t.Errorf("%s: %s: reason %q should say %q", qc.mode, id, c.Reason, w.says)
				}
				for name, has := range w.facts {
					if v := fact(c, name); !strings.Contains(v, has) {
						t.Errorf("%s: %s: fact %q is %q, want it to hold %q", qc.mode, id, name, v, has)
					}
				}
			}
		})
	}
}

var hostedCaps = []string{"oci-subject-consistent", "mount-unreferenced-blob", "request-body-size", "config-media-types"}

// hostedExpected is what each zoo registry does, seen with curl (issue 21):
//   - a manifest with a subject: Distribution, crane and olareg without
//     referrers answer 201 without OCI-Subject; olareg answers OCI-Subject
//     and lists the artifact in its referrers (200);
//   - a mount from a repository where a manifest references the blob, and
//     of a blob pushed alone: 201 and 201 on Distribution and olareg, 202
//     and 202 on crane (its storage is global: HEAD in the target is 200,
//     but no mount was answered);
//   - PATCH and POST+PUT bodies of 1, 4, 8 and 16 MiB: 202 and 201
//     everywhere;
//   - manifests whose config is application/vnd.oci.empty.v1+json,
//     application/vnd.cncf.helm.config.v1+json or
//     application/vnd.cncf.flux.config.v1+json: 201 everywhere.
var hostedExpected = map[string]map[string]results.Status{
	zoo.NameDistribution:         statusWords(hostedCaps, "yes yes yes yes"),
	zoo.NameDistributionNoDelete: statusWords(hostedCaps, "yes yes yes yes"),
	zoo.NameCrane:                statusWords(hostedCaps, "yes no yes yes"),
	zoo.NameOlareg:               statusWords(hostedCaps, "yes yes yes yes"),
	zoo.NameOlaregNoReferrers:    statusWords(hostedCaps, "yes yes yes yes"),
}

// The capabilities that name the hosted registries' incompatibilities, on
// the zoo registries as they are (verify mode, --check all).
func TestHostedChecksOnTheZoo(t *testing.T) {
	r := verifyAll(t)
	for _, name := range order {
		reg := registry(t, r.run, name)
		for _, c := range capsOf(t, reg, "check.integration.oci.hosted", hostedCaps) {
			if want := hostedExpected[name][c.ID]; c.Status != want {
				t.Errorf("%s: %s = %s (%s), want %s", name, c.ID, c.Status, c.Reason, want)
			}
		}
		if c := capability(t, reg, "request-body-size"); fact(c, "largest PATCH body accepted") != "16 MiB" || fact(c, "largest PUT body accepted") != "16 MiB" {
			t.Errorf("%s: request-body-size facts %+v, want 16 MiB both ways", name, c.Facts)
		}
	}
}
