package e2e

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

// Verdicts that do not depend on timing (issue 21, item 5): the whole suite
// in verify mode, five times on the namespaced registry behind a token
// service, gives the same verdict for every capability each time. Before
// the empty config blob was pushed once per registry run, one of
// referrers, referrers-pagination, referrers-filter or artifact-manifest
// ended in error in 5 of 10 runs (a manifest PUT answered 404
// BLOB_UNKNOWN for the "{}" blob pushed by several scenarios at once).
func TestVerdictsRepeat(t *testing.T) {
	if testing.Short() {
		t.Skip("five full verify runs")
	}
	s := startShapes(t)
	p := filepath.Join(t.TempDir(), "registries.yaml")
	cfg := strings.Join([]string{"registries:", "  - name: owner", "    url: " + s.token.URL, "    testRepository: acme/alpine",
		"    tls: {caFile: " + s.ca.File + "}", "    credentials: {username: owner, passwordEnv: SHAPE_OWNER_PW}"}, "\n") + "\n"
	if err := os.WriteFile(p, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"SHAPE_OWNER_PW=" + s.ownerPW}
	var first string
	var last runResult
	for i := 1; i <= 5; i++ {
		r := runOcicapsEnv(t, env, "--config", p, "--check", "all", "--verify")
		if r.run == nil {
			t.Fatalf("run %d: no results (exit %d)\n%s\n%s", i, r.code, r.stdout, r.stderr)
		}
		last = r
		reg := registry(t, r.run, "owner")
		got := verdictLines(reg)
		if i == 1 {
			first = got
			for _, c := range reg.Capabilities {
				if c.Status == results.Error {
					t.Errorf("run 1: %s is an error: %s", c.ID, c.Reason)
				}
			}
		} else if got != first {
			t.Errorf("run %d gave other verdicts than run 1:\n%s\nrun 1:\n%s", i, got, first)
		}
	}
	checkNothingLeft(t, s.token, last)
}

// verdictLines is "id status" per capability, sorted, one per line.
func verdictLines(reg results.Registry) string {
	var lines []string
	for _, c := range reg.Capabilities {
		lines = append(lines, c.ID+" "+string(c.Status))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
