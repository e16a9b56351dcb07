package suite

import (
	"testing"

	"github.com/ocicaps/ocicaps/features"
)

// BenchmarkLoadEmbedded parses the built-in suite (13 feature files), which
// every command does once per process.
func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, problems := Load(features.FS, "embedded"); len(problems) > 0 {
			b.Fatal(problems)
		}
	}
}
