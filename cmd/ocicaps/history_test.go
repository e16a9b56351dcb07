package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
)

// TestHistoryCommand: RUNs given in any order, flags after them, the files
// written into --out and the summary line; bad thresholds are usage errors.
func TestHistoryCommand(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for n := range 3 {
		st := results.Supported
		if n == 2 {
			st = results.Unsupported
		}
		run := &results.Run{SchemaVersion: results.SchemaVersion, Tool: results.Tool{Name: "ocicaps", Version: "v1"},
			StartedAt:  time.Date(2026, 12, 1+n, 2, 0, 0, 0, time.UTC),
			Registries: []results.Registry{{Name: "r", Capabilities: []results.Capability{{ID: "delete", Status: st}}}}}
		f := filepath.Join(dir, string(rune('c'-n)), "results.json") // names in reverse time order
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := jsonfile.Write(f, run); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out := filepath.Join(dir, "out")
	var so, se bytes.Buffer
	code := run(context.Background(), []string{"history", files[2], dir, "--out", out, "--stale-days", "3"}, &so, &se)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, se.String())
	}
	if !strings.Contains(so.String(), "3 runs from 2026-12-01 02:00 UTC to 2026-12-03 02:00 UTC: 0 flaky, 1 regression") {
		t.Errorf("stdout: %s", so.String())
	}
	for _, f := range []string{"history.html", "history.md", "history.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	for _, args := range [][]string{{"history", dir, "--flaky-changes", "0"}, {"history", dir, "--stale-days", "-1"}, {"history"}, {"history", filepath.Join(dir, "nope")}} {
		so.Reset()
		se.Reset()
		if code := run(context.Background(), args, &so, &se); code != exitUsage || se.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, se.String())
		}
	}
}
