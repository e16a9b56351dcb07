package history

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
)

const nights = 30

var night0 = time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)

// nightly is the synthetic month: on registry "steady", referrers flips
// every few nights, delete is lost on night 21, chunked-upload never
// changes and cross-repo-mount is in error from night 21 on; registry
// "retired" is probed for the first 20 nights only.
func nightly(n int) *results.Run {
	status := func(ok bool) results.Status {
		if ok {
			return results.Supported
		}
		return results.Unsupported
	}
	steady := results.Registry{Name: "steady", Capabilities: []results.Capability{
		{ID: "referrers", Name: "Referrers API", Status: status(n/4%2 == 0)},
		{ID: "delete", Name: "Delete", Status: status(n < 20)},
		{ID: "chunked-upload", Name: "Chunked upload", Status: results.Supported},
		{ID: "cross-repo-mount", Name: "Mount", Status: results.Supported},
	}}
	if n >= 20 {
		steady.Capabilities[3].Status = results.Error
		steady.Capabilities[3].Reason = "GET /v2/: connection refused"
	}
	steady.Capabilities[1].Reason = "DELETE answered 405"
	run := &results.Run{
		SchemaVersion: results.SchemaVersion,
		Tool:          results.Tool{Name: "ocicaps", Version: fmt.Sprintf("v0.%d.0", n/10)},
		StartedAt:     night0.Add(time.Duration(n) * 24 * time.Hour),
		Registries:    []results.Registry{steady},
	}
	if n < 20 {
		run.Registries = append(run.Registries, results.Registry{Name: "retired", Capabilities: []results.Capability{
			{ID: "referrers", Name: "Referrers API", Status: results.Supported}}})
	}
	return run
}

// writeNights writes the thirty results.json files into one folder per
// night, the first ten of them as schema 1.0 files (without the fields
// 1.1 and 1.2 added), and returns the folders in a shuffled order.
func writeNights(t *testing.T) []string {
	t.Helper()
	root := t.TempDir()
	var dirs []string
	for n := range nights {
		dir := filepath.Join(root, fmt.Sprintf("night-%02d", n+1))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "results.json")
		if err := jsonfile.Write(file, nightly(n)); err != nil {
			t.Fatal(err)
		}
		if n < 10 {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			data = bytes.Replace(data, []byte(`"schemaVersion": "`+results.SchemaVersion+`"`), []byte(`"schemaVersion": "1.0"`), 1)
			data = bytes.ReplaceAll(data, []byte(`"deviations": [],`), nil)
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		dirs = append(dirs, dir)
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(dirs), func(i, j int) { dirs[i], dirs[j] = dirs[j], dirs[i] })
	return dirs
}

func build(t *testing.T, args []string) *History {
	t.Helper()
	files, err := Files(args)
	if err != nil {
		t.Fatal(err)
	}
	ins, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	return Build(ins, Options{})
}

func cellOf(t *testing.T, h *History, reg, id string) Cell {
	t.Helper()
	for _, r := range h.Registries {
		if r.Name != reg {
			continue
		}
		for _, c := range r.Capabilities {
			if c.ID == id {
				return c
			}
		}
	}
	t.Fatalf("no cell %s × %s", reg, id)
	return Cell{}
}

// TestThirtyNights: the flipping capability is flaky, the one lost once is
// a regression since night 21, the unchanged one is stable, and the cells
// nobody verified for more than a week are stale.
func TestThirtyNights(t *testing.T) {
	h := build(t, writeNights(t))
	if len(h.Runs) != nights {
		t.Fatalf("%d runs, want %d", len(h.Runs), nights)
	}
	for i, r := range h.Runs {
		if want := night0.Add(time.Duration(i) * 24 * time.Hour); !r.StartedAt.Equal(want) {
			t.Fatalf("run %d started %v, want %v: runs are not in time order", i, r.StartedAt, want)
		}
	}
	if h.Runs[0].SchemaVersion != "1.0" || h.Runs[29].SchemaVersion != results.SchemaVersion {
		t.Errorf("schema versions %q … %q: the 1.0 files were not read as such", h.Runs[0].SchemaVersion, h.Runs[29].SchemaVersion)
	}
	if !h.AsOf.Equal(h.Runs[29].StartedAt) {
		t.Errorf("as of %v, want the newest run", h.AsOf)
	}

	flaky := cellOf(t, h, "steady", "referrers")
	if flaky.Kind != Flaky || flaky.Changes != 7 {
		t.Errorf("referrers: %s after %d changes, want flaky after 7", flaky.Kind, flaky.Changes)
	}

	lost := cellOf(t, h, "steady", "delete")
	if lost.Kind != Regression || lost.Changes != 1 || lost.Since == nil || lost.Since.Run != 20 {
		t.Fatalf("delete: %+v, want a regression since run 20 (night 21)", lost)
	}
	if want := night0.Add(20 * 24 * time.Hour); !lost.Since.StartedAt.Equal(want) || lost.Since.ToolVersion != "v0.2.0" {
		t.Errorf("delete since %+v, want night 21 (%v) by v0.2.0", lost.Since, want)
	}
	if lost.Current != results.Unsupported || lost.Reason != "DELETE answered 405" || lost.Stale {
		t.Errorf("delete now %s (%q), stale %v", lost.Current, lost.Reason, lost.Stale)
	}

	stable := cellOf(t, h, "steady", "chunked-upload")
	if stable.Kind != Stable || stable.Since != nil || stable.Stale || stable.LastVerified.Run != 29 || stable.LastVerified.ToolVersion != "v0.2.0" {
		t.Errorf("chunked-upload: %+v, want stable, verified by the newest run", stable)
	}

	// In error for the last ten nights: no answer for more than a week.
	erring := cellOf(t, h, "steady", "cross-repo-mount")
	if erring.Kind != Regression || !erring.Stale || erring.LastVerified.Run != 19 {
		t.Errorf("cross-repo-mount: %+v, want a regression, stale, last verified on night 20", erring)
	}
	// Not probed for the last ten nights.
	gone := cellOf(t, h, "retired", "referrers")
	if !gone.Stale || gone.Kind != Stable || gone.Statuses[20] != "" || gone.LastVerified.Run != 19 {
		t.Errorf("retired referrers: %+v, want stable and stale", gone)
	}

	want := Counts{Cells: 5, Flaky: 1, Regressions: 2, Stale: 2}
	if h.Counts != want {
		t.Errorf("counts %+v, want %+v", h.Counts, want)
	}
}

// TestThresholds: the documented thresholds move the verdicts.
func TestThresholds(t *testing.T) {
	files, err := Files(writeNights(t))
	if err != nil {
		t.Fatal(err)
	}
	ins, err := Load(files)
	if err != nil {
		t.Fatal(err)
	}
	h := Build(ins, Options{FlakyChanges: 8, StaleDays: 10})
	if c := cellOf(t, h, "steady", "referrers"); c.Kind == Flaky {
		t.Errorf("7 changes are flaky with a threshold of 8: %+v", c)
	}
	if c := cellOf(t, h, "retired", "referrers"); c.Stale {
		t.Errorf("10 days are stale with a threshold of 10 days: %+v", c)
	}
	h = Build(ins, Options{StaleDays: 9})
	if c := cellOf(t, h, "retired", "referrers"); !c.Stale {
		t.Errorf("10 days are not stale with a threshold of 9 days: %+v", c)
	}
}

// TestFilesErrors: what cannot be read is named.
func TestFilesErrors(t *testing.T) {
	empty := t.TempDir()
	if _, err := Files([]string{empty}); err == nil {
		t.Error("a folder without results.json was accepted")
	}
	if _, err := Files([]string{filepath.Join(empty, "nope.json")}); err == nil {
		t.Error("a missing file was accepted")
	}
	bad := filepath.Join(empty, "results.json")
	if err := os.WriteFile(bad, []byte(`{"schemaVersion":"2.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load([]string{bad}); err == nil || !bytes.Contains([]byte(err.Error()), []byte(bad)) {
		t.Errorf("a 2.0 file: %v, want an error naming it", err)
	}
	files, err := Files([]string{empty, bad})
	if err != nil || len(files) != 1 {
		t.Errorf("the same file twice: %v %v, want it once", files, err)
	}
}

// TestInterruptedRun: the errors of an interrupted run are not verdicts,
// so they neither change a cell nor count as its current verdict.
func TestInterruptedRun(t *testing.T) {
	var ins []Input
	for n := range 3 {
		run := nightly(0)
		run.StartedAt = night0.Add(time.Duration(n) * 24 * time.Hour)
		if n == 1 {
			run.Incomplete = true
			run.Registries[0].Capabilities[2].Status = results.Error
		}
		ins = append(ins, Input{File: fmt.Sprint(n), Run: run})
	}
	h := Build(ins, Options{})
	c := cellOf(t, h, "steady", "chunked-upload")
	if c.Changes != 0 || c.Kind != Stable || c.Statuses[1] != "" || !h.Runs[1].Incomplete {
		t.Errorf("%+v, want stable with no verdict from the interrupted run", c)
	}
}
