package ctrf

import (
	"testing"

	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestClients: one test per registry × workflow after the capabilities',
// named as in junit.xml, counted in the summary, with a suite per
// registry with clients; none without clients.
func TestClients(t *testing.T) {
	plain := Build(resultstest.Sample())
	run := resultstest.WithClients()
	r := Build(run)
	n := 0
	for _, reg := range run.Registries {
		n += len(reg.Clients)
	}
	s, p := r.Results.Summary, plain.Results.Summary
	if s.Tests != p.Tests+n || s.Suites != p.Suites+3 || s.Passed+s.Failed+s.Skipped+s.Other != s.Tests {
		t.Errorf("summary %+v, without clients %+v, %d workflows", s, p, n)
	}
	// zoo: 2 works + 0 … as junit: passed 2, failed 2 unsafe + 1 mismatch
	// + 1 undecided run, skipped 1 fails + 4 predictions; refused: 1
	// skipped; all-good: 2 skipped.
	if got := s.Passed - p.Passed; got != 2 {
		t.Errorf("%d client tests passed, want 2", got)
	}
	if got := s.Failed - p.Failed; got != 4 {
		t.Errorf("%d client tests failed, want 4", got)
	}
	if got := s.Skipped - p.Skipped; got != 8 {
		t.Errorf("%d client tests skipped, want 8", got)
	}
	first := r.Results.Tests[p.Tests]
	if first.Name != "oras push [zoo-distribution]" || first.Type != TypeClientWorkflow || first.Suite[0] != "clients [zoo-distribution]" ||
		first.FilePath != "features/clients/oras.feature" || first.Line != 12 || first.Status != Passed {
		t.Errorf("first client test %+v", first)
	}
}
