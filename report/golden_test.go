package report

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocicaps/ocicaps/report/console"
	htmlreport "github.com/ocicaps/ocicaps/report/html"
	"github.com/ocicaps/ocicaps/report/junit"
	"github.com/ocicaps/ocicaps/report/markdown"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// update rewrites the golden files: go test ./report -run TestGolden -update.
// Review the diff before committing it: a changed golden is a changed report.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden pins every byte of the human-facing reports of a fixed run, so
// a refactoring of a writer that changes its output is caught here.
func TestGolden(t *testing.T) {
	encoders := []struct {
		file   string
		encode func(io.Writer, *results.Run) error
	}{
		{"console.txt", console.WriteMatrix},
		{"summary.md", markdown.Encode},
		{"junit.xml", junit.Encode},
		{"report.html", htmlreport.Encode},
	}
	for _, e := range encoders {
		t.Run(e.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := e.encode(&buf, resultstest.Sample()); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", e.file), buf.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; if the change is meant, run go test ./report -run TestGolden -update and review the diff.\ngot:\n%s", path, got)
	}
}
