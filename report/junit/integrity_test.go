package junit

import (
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

// An integrity failure is a <failure type="integrity"> whatever the
// capability's severity and the run's --fail-on: never skipped like a
// missing feature.
func TestIntegrityFailureMapping(t *testing.T) {
	run := sampleRun(false)
	c := &run.Registries[0].Capabilities[1]
	c.Status, c.SeverityWhenMissing = results.Unsupported, results.Info
	c.Reason = results.IntegrityWords + ": GET of the blob"
	c.Deviations = []results.Deviation{{Section: results.IntegritySection, Rule: c.Reason, Kind: results.KindIntegrity}}
	tc := Build(run).Suites[0].Testcases[1]
	if tc.Skipped != nil || tc.Failure == nil || tc.Failure.Type != "integrity" ||
		!strings.Contains(tc.Failure.Message, "the registry returned different bytes than were written") {
		t.Errorf("testcase %+v %+v", tc.Skipped, tc.Failure)
	}
}
