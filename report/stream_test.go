package report

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"

	"github.com/ocicaps/ocicaps/report/console"
	htmlreport "github.com/ocicaps/ocicaps/report/html"
	"github.com/ocicaps/ocicaps/report/junit"
	"github.com/ocicaps/ocicaps/report/markdown"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

type details []results.Registry

func (d details) Registry(i int) (results.Registry, error) { return d[i], nil }

// lightRun is run as a fleet's run holds it: light copies of the
// registries, the complete ones behind Details (a spool).
func lightRun(run *results.Run) *results.Run {
	out := *run
	out.Details = details(run.Registries)
	out.Registries = nil
	for _, r := range run.Registries {
		out.Registries = append(out.Registries, results.Light(r))
	}
	return &out
}

// The human-facing reports of a run whose evidence was kept out of memory
// are the golden files, byte for byte: the writers read each registry's
// evidence back where they need it.
func TestGoldenFromDetails(t *testing.T) {
	for _, e := range []struct {
		file   string
		encode func(io.Writer, *results.Run) error
	}{
		{"console.txt", console.WriteMatrix},
		{"summary.md", markdown.Encode},
		{"junit.xml", junit.Encode},
		{"report.html", htmlreport.Encode},
	} {
		t.Run(e.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := e.encode(&buf, lightRun(resultstest.Sample())); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", e.file), buf.Bytes())
		})
	}
}
