package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/twist"
	"github.com/ocicaps/ocicaps/steps"
)

// TestReadsThatLagWrites: zoo-distribution behind a proxy that hides
// every blob and manifest for 500 ms after its write (twist lag-500ms,
// replicated and object-storage registries). With the default
// consistency.wait the verdicts are those of the registry without the
// proxy, and the delay is a fact; with consistency.wait 0 they are not,
// which shows the proxy hid something the re-reads waited out.
func TestReadsThatLagWrites(t *testing.T) {
	name := order[0]
	p, err := twist.Start(instances[name].URL, "lag-500ms")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	// Three names for one registry: each verify run writes in a scratch
	// repository of its own, so that none sees another's objects.
	cfg := writeRawConfig(t, fmt.Sprintf(`registries:
  - name: plain
    url: %s
    scratchRepository: library/ocicaps-lag-plain
  - name: lagging
    url: %s
    scratchRepository: library/ocicaps-lag-lagging
  - name: impatient
    url: %s
    scratchRepository: library/ocicaps-lag-impatient
    consistency: {wait: 0}
`, instances[name].URL, p.URL, p.URL))
	r := runOcicaps(t, "--config", cfg, "--check", "all", "--verify")
	if r.run == nil {
		t.Fatalf("no results (exit %d)\n%s", r.code, r.stderr)
	}
	plain, lagging, impatient := registry(t, r.run, "plain"), registry(t, r.run, "lagging"), registry(t, r.run, "impatient")
	facts, differ := 0, 0 // facts counts capabilities that waited, once each
	for _, want := range plain.Capabilities {
		got, _ := lagging.Capability(want.ID)
		if got.Status != want.Status {
			t.Errorf("%s: %s (%s) behind the lag, %s (%s) without", want.ID, got.Status, got.Reason, want.Status, want.Reason)
		}
		waited := false
		for _, f := range got.Facts {
			if f.Name == steps.FactReadAfterWrite {
				if !strings.HasPrefix(f.Value, "readable ") || !strings.Contains(f.Value, " ms after the write (") {
					t.Errorf("%s: fact %q", want.ID, f.Value)
				}
				waited = true
			}
		}
		if waited {
			facts++
		}
		if c, _ := impatient.Capability(want.ID); c.Status != want.Status {
			differ++
		}
	}
	if facts == 0 {
		t.Error("no capability recorded a read after write")
	}
	if !strings.Contains(r.stdout, fmt.Sprintf("  lagging: reads lag writes: %d capabilities read an object only some time after writing it", facts)) {
		t.Errorf("the console does not name the lag:\n%s", r.stdout)
	}
	if differ == 0 {
		t.Error("without consistency.wait the lag changed no verdict: the proxy hid nothing")
	}
	t.Logf("%d capabilities waited for a lagging read; without waiting, %d verdicts differ (score %d/%d, plain %d/%d)",
		facts, differ, impatient.Score, impatient.MaxScore, plain.Score, plain.MaxScore)
}
