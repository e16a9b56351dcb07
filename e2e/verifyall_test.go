package e2e

import (
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

// verifyAllRun is one `ocicaps run --verify --check all` on the five zoo
// registries, shared by the tests that read its verdicts (the spec areas,
// the deviations): a verify run writes only in scratch repositories named
// by its run id, so one run serves them all, as issue 12 asks ("every zoo
// registry in verify mode with --check all"), instead of one run per area.
var verifyAllRun struct {
	once sync.Once
	r    runResult
}

// verifyAll returns the shared run, made by the first test that asks; its
// reports stay in the e2e work directory until every test is done.
func verifyAll(t *testing.T) runResult {
	t.Helper()
	verifyAllRun.once.Do(func() {
		out := filepath.Join(workDir, "verify-all")
		verifyAllRun.r = runOcicapsOut(t, out, nil, "--config", writeConfig(t, order, nil), "--verify", "--check", "all")
	})
	r := verifyAllRun.r
	if r.code != 0 || r.run == nil {
		t.Fatalf("the shared --verify --check all run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	return r
}

// capsOf returns reg's capabilities among ids, failing the test unless the
// capabilities filed under check are exactly ids.
func capsOf(t *testing.T, reg results.Registry, check string, ids []string) []results.Capability {
	t.Helper()
	var out []results.Capability
	var got []string
	for _, c := range reg.Capabilities {
		if c.Check == check {
			got = append(got, c.ID)
		}
		if slices.Contains(ids, c.ID) {
			if c.Check != check {
				t.Errorf("%s/%s: check %q, want %s", reg.Name, c.ID, c.Check, check)
			}
			out = append(out, c)
		}
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(ids))
	if !slices.Equal(got, want) {
		t.Errorf("%s: the capabilities of %s are %v, want %v", reg.Name, check, got, want)
	}
	return out
}

// Nothing any capability of the shared run pushed is left where deletes
// work, and what could not be deleted is listed (checkVerifyTrace).
func TestVerifyAllLeavesNoTrace(t *testing.T) {
	r := verifyAll(t)
	for _, name := range order {
		checkVerifyTrace(t, registry(t, r.run, name))
	}
}
