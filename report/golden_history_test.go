package report

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/history"
	"github.com/ocicaps/ocicaps/report/historyreport"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// sampleHistory is ten nights of two registries: on "zoo-distribution"
// referrers flips, delete is lost on night 7 and chunked-upload holds; the
// registry with a hostile name is probed for the first three nights only,
// so its cell is stale.
func sampleHistory() *history.History {
	start := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
	var ins []history.Input
	for n := range 10 {
		st := func(ok bool) results.Status {
			if ok {
				return results.Supported
			}
			return results.Unsupported
		}
		run := &results.Run{
			SchemaVersion: results.SchemaVersion,
			Tool:          results.Tool{Name: "ocicaps", Version: fmt.Sprintf("v0.%d.0", 1+n/5)},
			StartedAt:     start.Add(time.Duration(n) * 24 * time.Hour),
			Registries: []results.Registry{{Name: "zoo-distribution", DistributionVersion: "registry/2.0", Capabilities: []results.Capability{
				{ID: "referrers", Name: "Referrers API", Status: st(n%3 != 1), Reason: "GET referrers answered 404"},
				{ID: "delete", Name: "Delete", Status: st(n < 6), Reason: "DELETE answered 405 " + resultstest.Nasty},
				{ID: "chunked-upload", Name: "Chunked upload", Status: results.Supported},
			}}},
		}
		if n < 3 {
			run.Registries = append(run.Registries, results.Registry{Name: "gone " + resultstest.Nasty, Capabilities: []results.Capability{
				{ID: "referrers", Name: "Referrers API", Status: results.Error, Reason: "connection refused"}}})
		}
		ins = append(ins, history.Input{File: fmt.Sprintf("nights/%02d/results.json", n+1), Run: run})
	}
	return history.Build(ins, history.Options{Tool: results.Tool{Name: "ocicaps", Version: "v0.2.0"}})
}

// TestGoldenHistory pins every byte of history.md, history.html and
// history.json for a fixed history.
func TestGoldenHistory(t *testing.T) {
	for _, e := range []struct {
		file   string
		encode func(io.Writer, *history.History) error
	}{
		{historyreport.MarkdownFile, historyreport.EncodeMarkdown},
		{historyreport.HTMLFile, historyreport.EncodeHTML},
		{historyreport.JSONFile, historyreport.EncodeJSON},
	} {
		t.Run(e.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := e.encode(&buf, sampleHistory()); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", e.file), buf.Bytes())
		})
	}
}
