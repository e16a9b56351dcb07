package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
)

// A panic while one registry runs (here in the hook called as it starts,
// on the runner's worker goroutine, where an unrecovered panic ends the
// process) ends that registry's capabilities as errors; the other registry
// is probed, the reports are written, and the command exits 3 asking for a
// bug report.
func TestPanicInARunIsReported(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	root, err := zoo.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin, err := zoo.EnsureBinaries(ctx, root)
	if err != nil {
		t.Fatalf("building the zoo: %v", err)
	}
	inst, err := zoo.Start(ctx, bin, t.TempDir(), zoo.Spec{Name: "crane", Kind: zoo.KindCrane})
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Stop()

	testHookStarted = func(r config.Registry) {
		if r.Name == "broken" {
			var m map[string]int
			m[r.Name]++ // assignment to entry in nil map
		}
	}
	defer func() { testHookStarted = func(config.Registry) {} }()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "registries.yaml")
	yaml := fmt.Sprintf("registries:\n  - name: fine\n    url: %s\n  - name: broken\n    url: %s\n", inst.URL, inst.URL)
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var stdout, stderr bytes.Buffer
	code := runProtected(ctx, []string{"run", "--config", cfg, "--out", out, "--format", "quiet,json,junit"}, &stdout, &stderr)
	if code != exitInternal {
		t.Fatalf("exit %d, want %d\n%s", code, exitInternal, stderr.String())
	}
	for _, w := range []string{"internal error in registry broken: panic: assignment to entry in nil map", "please report it", "--- stack of the panic"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
		}
	}
	run, err := jsonfile.Read(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatalf("no results.json: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "junit.xml")); err != nil {
		t.Errorf("no junit.xml: %v", err)
	}
	for _, r := range run.Registries {
		for _, c := range r.Capabilities {
			crashed := c.Status == results.Error && strings.Contains(c.Reason, "internal error in ocicaps")
			if crashed != (r.Name == "broken") {
				t.Errorf("%s %s: %s %q", r.Name, c.ID, c.Status, c.Reason)
			}
		}
	}
	if len(run.Registries) != 2 || len(run.Registries[0].Capabilities) == 0 || len(run.Registries[1].Capabilities) == 0 {
		t.Errorf("registries in results.json: %+v", run.Registries)
	}
}

// A feature file over suite.MaxFeatureBytes in an --add-features folder is
// refused with its name, and read no further than the bound.
func TestHugeAddedFeatureRefused(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.feature")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 1 GiB on disk costs nothing, and reading it whole would.
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, _, stderr := runCLI(t, "validate", "--add-features", dir)
	if code != exitUsage || !strings.Contains(stderr, "big.feature: the file is larger than the 4194304 bytes a feature file may have") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
}
