package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
)

// runHistory runs "ocicaps history" with args and returns its exit code
// and output.
func runHistory(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, ocicaps, append([]string{"history"}, args...)...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), so.String(), se.String()
	} else if err != nil {
		t.Fatalf("running ocicaps history: %v", err)
	}
	return 0, so.String(), se.String()
}

// setStatus gives capability id of reg the status st.
func setStatus(t *testing.T, reg *results.Registry, id string, st results.Status) {
	t.Helper()
	for i := range reg.Capabilities {
		if reg.Capabilities[i].ID == id {
			reg.Capabilities[i].Status = st
			return
		}
	}
	t.Fatalf("%s has no capability %s", reg.Name, id)
}

// thirtyNights writes thirty results.json files made from one real run
// over the zoo, one folder per night, the newest on the real run's date:
// on zoo-distribution referrers flips every four nights and delete is
// lost from night 21 on; zoo-crane is only probed on the first 20 nights.
func thirtyNights(t *testing.T, real *results.Run) string {
	t.Helper()
	data, err := jsonfile.Marshal(real)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for n := range 30 {
		run, err := jsonfile.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		run.StartedAt = real.StartedAt.Add(-time.Duration(29-n) * 24 * time.Hour)
		var kept []results.Registry
		for _, reg := range run.Registries {
			switch reg.Name {
			case zoo.NameDistribution:
				flip := results.Supported
				if n/4%2 == 1 {
					flip = results.Unsupported
				}
				setStatus(t, &reg, "referrers", flip)
				del := results.Supported
				if n >= 20 {
					del = results.Unsupported
				}
				setStatus(t, &reg, "delete", del)
			case zoo.NameCrane:
				if n >= 20 {
					continue
				}
			}
			kept = append(kept, reg)
		}
		run.Registries = kept
		file := filepath.Join(dir, fmt.Sprintf("night-%02d", n+1), "results.json")
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := jsonfile.Write(file, run); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type attentionRow struct {
	Registry, Capability, Kind, Since, Text string
	Stale                                   bool
}

// TestHistoryInBrowser runs "ocicaps history" over thirty nights made from
// a real run over the zoo and reads history.html in Chromium: the
// flipping capability is named flaky, the one lost once a regression since
// night 21, the registry no longer probed is stale, and the page asks for
// nothing outside itself.
func TestHistoryInBrowser(t *testing.T) {
	cfg := writeConfig(t, []string{zoo.NameDistribution, zoo.NameCrane}, nil)
	r := runOcicaps(t, "--config", cfg, "--format", "quiet,json")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	nights := thirtyNights(t, r.run)
	out := filepath.Join(t.TempDir(), "history")
	code, stdout, stderr := runHistory(t, nights, "--out", out)
	if code != 0 {
		t.Fatalf("ocicaps history: exit %d\n%s\n%s", code, stdout, stderr)
	}
	defer keepArtifacts(t, out, "history")
	if !strings.Contains(stdout, "30 runs from") || !strings.Contains(stdout, "1 flaky, 1 regression") {
		t.Errorf("summary line: %s", stdout)
	}

	file := filepath.Join(out, "history.html")
	page, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if refs := externalRefs(string(page)); len(refs) > 0 {
		t.Errorf("history.html refers outside itself: %v", refs)
	}
	ctx, p := openPage(t)
	url := "file://" + file
	if err := p.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
	var rows []attentionRow
	err = p.Eval(ctx, `[...document.querySelectorAll("table.attention tbody tr")].map(tr => ({
		Registry: tr.dataset.registry, Capability: tr.dataset.capability, Kind: tr.dataset.kind,
		Stale: tr.dataset.stale === "true", Since: tr.cells[4].innerText, Text: tr.innerText}))`, &rows)
	if err != nil {
		t.Fatal(err)
	}
	byCell := map[string]attentionRow{}
	for _, row := range rows {
		byCell[row.Registry+" "+row.Capability] = row
	}
	want := night(r.run.StartedAt, 20)
	if row := byCell[zoo.NameDistribution+" referrers"]; row.Kind != "flaky" || !strings.Contains(row.Text, "flaky") {
		t.Errorf("referrers row %+v, want flaky", row)
	}
	if row := byCell[zoo.NameDistribution+" delete"]; row.Kind != "regression" || row.Since != "run 21, "+want || row.Stale {
		t.Errorf("delete row %+v, want a regression since run 21, %s", row, want)
	}
	crane := registry(t, r.run, zoo.NameCrane)
	for _, c := range crane.Capabilities {
		if c.Status == results.Error {
			continue
		}
		if row := byCell[zoo.NameCrane+" "+c.ID]; !row.Stale || !strings.Contains(row.Text, "stale") {
			t.Errorf("%s %s: %+v, want stale (not probed for ten nights)", zoo.NameCrane, c.ID, row)
		}
	}
	for key, row := range byCell {
		if strings.HasPrefix(key, zoo.NameDistribution+" ") && row.Kind == "stable" {
			t.Errorf("%s listed as changed or stale: %+v", key, row)
		}
	}

	// The timeline row of the flaky capability, as displayed.
	var marks string
	err = p.Eval(ctx, `[...document.querySelectorAll("section.registry")].find(s => s.dataset.registry === `+jsString(zoo.NameDistribution)+`)
		.querySelector('tr[data-capability="referrers"]').querySelectorAll("td.pt").values().map(td => td.innerText).toArray().join("")`, &marks)
	if err != nil {
		t.Fatal(err)
	}
	if wantMarks := strings.Repeat("✓", 4) + strings.Repeat("✗", 4); !strings.HasPrefix(marks, wantMarks+wantMarks) || len([]rune(marks)) != 30 {
		t.Errorf("referrers timeline %q, want 30 marks flipping every four", marks)
	}
	checkRequests(t, p, url)

	var h struct {
		SchemaVersion string `json:"schemaVersion"`
		Counts        struct{ Flaky, Regressions, Stale int }
	}
	data, err := os.ReadFile(filepath.Join(out, "history.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &h); err != nil || h.SchemaVersion != "1.0" || h.Counts.Flaky != 1 || h.Counts.Regressions != 1 || h.Counts.Stale == 0 {
		t.Errorf("history.json: %+v %v", h, err)
	}
	if _, err := os.Stat(filepath.Join(out, "history.md")); err != nil {
		t.Error(err)
	}
}

func night(newest time.Time, n int) string {
	return newest.Add(-time.Duration(29-n) * 24 * time.Hour).UTC().Format("2006-01-02 15:04 UTC")
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestHistoryBadInput: no runs, or a file that is not a results.json, is a
// usage error (exit 2) naming what to do.
func TestHistoryBadInput(t *testing.T) {
	if code, _, stderr := runHistory(t); code != 2 || !strings.Contains(stderr, "results.json") {
		t.Errorf("no RUN: exit %d, %s", code, stderr)
	}
	bad := filepath.Join(t.TempDir(), "results.json")
	if err := os.WriteFile(bad, []byte("not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runHistory(t, bad); code != 2 || !strings.Contains(stderr, bad) {
		t.Errorf("a broken file: exit %d, %s", code, stderr)
	}
}
