package report

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/ocicaps/ocicaps/report/capdoc"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestGoldenCapabilities pins every byte of the capability documents of
// the fixed run.
func TestGoldenCapabilities(t *testing.T) {
	run := resultstest.Sample()
	names := capdoc.FileNames(run)
	for i, reg := range run.Registries {
		t.Run(names[i], func(t *testing.T) {
			var buf bytes.Buffer
			if err := capdoc.Encode(&buf, capdoc.Build(run, reg)); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", CapabilitiesDir, names[i]), buf.Bytes())
		})
	}
}
