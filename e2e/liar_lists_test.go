package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/twist"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// Liars about lists (issue 20, items 2, 3, 5): each mode of internal/twist
// in front of a real zoo registry, through which no capability the lie
// breaks may be supported. What the honest registries do (curl,
// 2026-12-07): olareg lists by subject (an artifact whose subject is
// another image is absent from a subject's list), sends a Link on tag
// lists only while tags remain and never pages referrers; Distribution
// sends Link: <…?last=…&n=…>; rel="next" on tag lists and the catalog
// (spec_discovery_test.go has the rest). The lies add what the honest ones
// never send.

// listFeatures are the features that read the lists the liars twist.
var listFeatures = []string{
	"capabilities/02-referrers.feature",
	"related/referrers.feature",
	"extended/catalog.feature",
	"spec/discovery/tag-list.feature",
	"spec/discovery/tag-list-pagination.feature",
	"spec/discovery/catalog-pagination.feature",
	"spec/discovery/referrers-filter.feature",
	"spec/discovery/referrers-pagination.feature",
	"spec/discovery/referrers-empty-list.feature",
}

// liarRun runs the list features with --verify against one twisting proxy
// per zoo registry named, at the given concurrency, and returns the
// results by registry name ("liar-" + the zoo name).
func liarListsRun(t *testing.T, mode string, concurrency int, upstreams ...string) map[string]results.Registry {
	t.Helper()
	dir := t.TempDir()
	for _, f := range listFeatures {
		b, err := os.ReadFile(filepath.Join(root, "features", f))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.Base(f)), string(b), 0o644)
	}
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "defaults:\n  concurrency: %d\nregistries:\n", concurrency)
	for _, up := range upstreams {
		p, err := twist.Start(instances[up].URL, mode)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		fmt.Fprintf(&cfg, "  - name: liar-%s\n    url: %s\n", up, p.URL)
	}
	r := runOcicaps(t, "--config", writeRawConfig(t, cfg.String()), "--features", dir, "--check", "all", "--verify")
	if r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	out := map[string]results.Registry{}
	for _, up := range upstreams {
		out["liar-"+up] = registry(t, r.run, "liar-"+up)
	}
	return out
}

// checkBroken fails unless every capability in broken is unsupported
// with a reason holding evidence, and no exchange of the run
// went to a URL starting with a forbidden prefix.
func checkBroken(t *testing.T, reg results.Registry, broken []string, evidence string, forbidden ...string) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range reg.Capabilities {
		for _, e := range c.Exchanges {
			for _, f := range forbidden {
				if strings.HasPrefix(strings.ToLower(e.URL), f) {
					t.Errorf("%s/%s: a request went to %s", reg.Name, c.ID, e.URL)
				}
			}
		}
		for _, id := range broken {
			if c.ID != id {
				continue
			}
			seen[id] = true
			// Unsupported, not error: the lie is an answer about the
			// capability.
			if c.Status != results.Unsupported || !strings.Contains(c.Reason, evidence) {
				t.Errorf("%s/%s: %s (%s), want unsupported naming %q", reg.Name, c.ID, c.Status, c.Reason, evidence)
			}
		}
	}
	for _, id := range broken {
		if !seen[id] {
			t.Errorf("%s: %s did not run", reg.Name, id)
		}
	}
}

// The Link lies: on olareg (tag list, referrers) and Distribution (tag
// list, catalog), every list capability that follows the Link is
// unsupported with the evidence, and nothing is sent to a refused target.
func TestLiarLinks(t *testing.T) {
	olaregBroken := []string{"tag-list", "tag-list-pagination", "referrers", "referrers-lookup", "referrers-pagination", "referrers-filter", "referrers-empty-list"}
	distBroken := []string{"tag-list", "tag-list-pagination", "catalog", "catalog-pagination"}
	cases := []struct {
		mode      string
		evidence  string
		forbidden []string
	}{
		{"link-self", "leads back to page 1", nil},
		{"endless-pages", "(the bound, ", nil},
		{"link-javascript", `"javascript:alert(document.domain)", which is not the registry (http://127.0.0.1:`, []string{"javascript:"}},
		{"link-file", `"file:///etc/passwd", which is not the registry (http://127.0.0.1:`, []string{"file:"}},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			regs := liarListsRun(t, c.mode, 8, zoo.NameOlareg, zoo.NameDistribution)
			checkBroken(t, regs["liar-"+zoo.NameOlareg], olaregBroken, c.evidence, c.forbidden...)
			checkBroken(t, regs["liar-"+zoo.NameDistribution], distBroken, c.evidence, c.forbidden...)
		})
	}
}

// A referrers API that answers 200 with truncated JSON supports nothing
// that reads it; the reason names the parse failure.
func TestLiarReferrersMalformed(t *testing.T) {
	reg := liarListsRun(t, "referrers-malformed", 8, zoo.NameOlareg)["liar-"+zoo.NameOlareg]
	checkBroken(t, reg, []string{"referrers", "referrers-lookup", "referrers-filter", "referrers-pagination", "referrers-empty-list"}, "unexpected end of JSON input")
}

// runSpecific matches what differs between two runs of the same verdict.
var runSpecific = regexp.MustCompile(`sha256:[0-9a-f]{12}(?:[0-9a-f]{52}|…)|ocicaps-verify-[0-9a-z-]+`)

// A referrers API that ignores the subject is caught by the control
// artifact in every referrers capability that pushes, with the same
// verdicts whether the scenarios run one at a time or all at once.
func TestLiarReferrersIgnoreSubjectAtAnyConcurrency(t *testing.T) {
	broken := []string{"referrers", "referrers-filter", "referrers-pagination", "referrers-empty-list"}
	var first map[string]string
	for _, n := range []int{1, 8, 64} {
		reg := liarListsRun(t, "referrers-ignore-subject", n, zoo.NameOlareg)["liar-"+zoo.NameOlareg]
		checkBroken(t, reg, broken, "an artifact whose subject is another image: the registry does not list by subject")
		got := map[string]string{}
		for _, c := range reg.Capabilities {
			// Digests and the scratch repository differ from run to run.
			got[c.ID] = string(c.Status) + ": " + runSpecific.ReplaceAllString(c.Reason, "…")
		}
		if first == nil {
			first = got
			continue
		}
		for id, v := range got {
			if first[id] != v {
				t.Errorf("concurrency %d: %s is %q, at concurrency 1 %q", n, id, v, first[id])
			}
		}
		if len(got) != len(first) {
			t.Errorf("concurrency %d: %d capabilities, at concurrency 1 %d", n, len(got), len(first))
		}
	}
}
