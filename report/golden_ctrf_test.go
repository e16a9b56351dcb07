package report

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/ocicaps/ocicaps/report/ctrf"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestGoldenCTRF pins every byte of ctrf.json for the fixed run.
func TestGoldenCTRF(t *testing.T) {
	var buf bytes.Buffer
	if err := ctrf.Encode(&buf, resultstest.Sample()); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", CTRFFile), buf.Bytes())
}
