package runner

import (
	"context"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps"
)

// A probe that found a list broken (a cycle, a list that does not end, a
// Link off the registry) is not overridden by a verify that read fewer
// pages; any other probe's unsupported is, as before, with a mismatch.
func TestCombineKeepsABrokenList(t *testing.T) {
	broken := steps.Outcome{Status: results.Unsupported, Reason: "the catalog cannot be read to its end: the Link of page 1 leads back to page 1",
		Facts: []results.Fact{{Name: steps.FactListBroken, Value: "the Link of page 1 leads back to page 1 (http://r/v2/_catalog?n=100)"}}}
	plain := steps.Outcome{Status: results.Unsupported, Reason: "OPTIONS does not list DELETE"}
	ok := steps.Outcome{Status: results.Supported, Reason: "one page of three"}
	cases := []struct {
		probe    steps.Outcome
		want     results.Status
		explains string
	}{
		{broken, results.Unsupported, "the probe found a list that cannot be read to its end (the Link of page 1 leads back to page 1"},
		{plain, results.Supported, "Asked, the registry says unsupported"},
	}
	for _, c := range cases {
		var probe, verify verdict
		probe.add(c.probe)
		verify.add(ok)
		var got results.Capability
		combine(context.Background(), &got, probe, verify)
		if got.Status != c.want || !got.Mismatch || got.Probe != results.Unsupported || got.Verified != results.Supported || !strings.Contains(got.Explanation, c.explains) {
			t.Errorf("probe %q: %s mismatch %v probe %s verified %s: %q", c.probe.Reason, got.Status, got.Mismatch, got.Probe, got.Verified, got.Explanation)
		}
	}
	// A supported scenario that walked a broken list (its author did not
	// judge the walk) marks nothing.
	var v verdict
	v.add(steps.Outcome{Status: results.Supported, Facts: broken.Facts})
	if v.broken != "" {
		t.Errorf("a supported outcome marked the list broken")
	}
}
