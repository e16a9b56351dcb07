package runner

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/ocicaps/ocicaps/config"
)

// BenchmarkRunRegistry is the whole per-registry cost of a run: the godog
// suite set up for the registry (features parsed, step definitions
// registered, its in-memory storage), the five seed scenarios with their
// nine requests to an in-process fake registry, and the folding of
// outcomes into results. docs/benchmarks.md has the numbers.
func BenchmarkRunRegistry(b *testing.B) {
	srv := httptest.NewServer(&fake{})
	defer srv.Close()
	s, sc := seedSuite(b)
	opt := Options{Registries: []config.Registry{fakeRegistry("fake", srv.URL)}, Suite: s, Scenarios: sc}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunFleet is a fleet's run in one process: 100 registries (all
// served by one in-process fake) at once, the seed check, one scenario at a
// time in each as the scenario budget gives them. Per registry it is what
// the fleet measurement of docs/benchmarks.md pays in CPU, without the
// process start-up and the reports.
func BenchmarkRunFleet(b *testing.B) {
	srv := httptest.NewServer(&fake{})
	defer srv.Close()
	s, sc := seedSuite(b)
	regs := make([]config.Registry, 100)
	for i := range regs {
		regs[i] = fakeRegistry(fmt.Sprintf("fake-%03d", i), srv.URL)
	}
	opt := Options{Registries: regs, Suite: s, Scenarios: sc, Parallel: 100}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), opt); err != nil {
			b.Fatal(err)
		}
	}
}
