package report

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocicaps/ocicaps/report/capdoc"
	"github.com/ocicaps/ocicaps/report/console"
	"github.com/ocicaps/ocicaps/report/ctrf"
	htmlreport "github.com/ocicaps/ocicaps/report/html"
	"github.com/ocicaps/ocicaps/report/junit"
	"github.com/ocicaps/ocicaps/report/markdown"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestGoldenClients pins every byte of each report of a run with client
// readiness (resultstest.WithClients: every outcome, confirmed and
// predicted, a mismatch, egress, unsafe workflows) in testdata/clients/.
// The goldens of TestGolden, whose run has no clients, stay as they were:
// a run without --clients reports what it always did.
func TestGoldenClients(t *testing.T) {
	encoders := []struct {
		file   string
		encode func(io.Writer, *results.Run) error
	}{
		{"console.txt", console.WriteMatrix},
		{"summary.md", markdown.Encode},
		{"junit.xml", junit.Encode},
		{"report.html", htmlreport.Encode},
		{CTRFFile, ctrf.Encode},
	}
	dir := filepath.Join("testdata", "clients")
	if *update {
		if err := os.MkdirAll(filepath.Join(dir, CapabilitiesDir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The same bytes from the run as a fleet's run holds it (light
	// copies, the evidence read back one registry at a time): a writer
	// that reads a light copy where it needs evidence differs here.
	runs := []struct {
		name string
		run  func() *results.Run
	}{
		{"complete", resultstest.WithClients},
		{"light", func() *results.Run { return lightRun(resultstest.WithClients()) }},
	}
	for _, r := range runs {
		for _, e := range encoders {
			t.Run(r.name+"/"+e.file, func(t *testing.T) {
				var buf bytes.Buffer
				if err := e.encode(&buf, r.run()); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join(dir, e.file), buf.Bytes())
			})
		}
	}
	run := resultstest.WithClients()
	names := capdoc.FileNames(run)
	for i, reg := range run.Registries {
		t.Run(names[i], func(t *testing.T) {
			var buf bytes.Buffer
			if err := capdoc.Encode(&buf, capdoc.Build(run, reg)); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join(dir, CapabilitiesDir, names[i]), buf.Bytes())
		})
	}
}
