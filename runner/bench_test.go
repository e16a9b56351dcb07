package runner

import (
	"context"
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
