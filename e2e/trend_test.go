package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// configAs writes a registries.yaml naming zoo registries differently:
// alias → zoo registry.
func configAs(t *testing.T, aliases [][2]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("registries:\n")
	for _, a := range aliases {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n", a[0], instances[a[1]].URL)
	}
	p := filepath.Join(t.TempDir(), "registries.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTrendRegression: the registry called "prod" is olareg with referrers
// in the first run and olareg without them in the second, so it lost a
// capability overnight; "retired" left the configuration and "newcomer"
// joined. The second run reports all of it in the console, results.json,
// summary.md and report.html; it exits 0 (nothing is at fail), and 1 with
// --fail-on-regression. The other way round is a gain, which never fails.
func TestTrendRegression(t *testing.T) {
	before := configAs(t, [][2]string{{"prod", zoo.NameOlareg}, {"retired", zoo.NameCrane}})
	after := configAs(t, [][2]string{{"prod", zoo.NameOlaregNoReferrers}, {"newcomer", zoo.NameDistribution}})

	first := runOcicaps(t, "--config", before)
	if first.code != 0 || first.run == nil {
		t.Fatalf("first run: exit %d\n%s", first.code, first.stderr)
	}
	baseline := filepath.Join(first.out, "results.json")

	second := runOcicaps(t, "--config", after, "--baseline", baseline)
	if second.code != 0 || second.run == nil {
		t.Fatalf("second run without --fail-on-regression: exit %d, want 0 (no registry at fail)\n%s", second.code, second.stderr)
	}
	tr := second.run.Trend
	if tr == nil {
		t.Fatal("results.json has no trend")
	}
	if tr.Baseline.File != baseline || !tr.Baseline.StartedAt.Equal(first.run.StartedAt) {
		t.Errorf("baseline = %+v", tr.Baseline)
	}
	if tr.Lost != 1 || tr.Gained != 0 || !reflect.DeepEqual(tr.Added, []string{"newcomer"}) || !reflect.DeepEqual(tr.Removed, []string{"retired"}) {
		t.Errorf("trend lost=%d gained=%d added=%v removed=%v", tr.Lost, tr.Gained, tr.Added, tr.Removed)
	}
	if len(tr.Registries) != 1 || tr.Registries[0].Name != "prod" {
		t.Fatalf("trend registries = %+v", tr.Registries)
	}
	prod := tr.Registries[0]
	want := []results.CapabilityChange{{ID: "referrers", Kind: results.ChangeLost, Before: results.Supported, After: results.Unsupported,
		Reason: registry(t, second.run, "prod").Capabilities[1].Reason}}
	if !reflect.DeepEqual(prod.Changes, want) {
		t.Errorf("prod changes = %+v, want %+v", prod.Changes, want)
	}
	if prod.ScoreBefore != 4 || prod.Score != 3 || prod.SeverityBefore != results.Info || prod.Severity != results.Warn {
		t.Errorf("prod moved %d/%d %s -> %d/%d %s, want 4/5 info -> 3/5 warn",
			prod.ScoreBefore, prod.MaxScoreBefore, prod.SeverityBefore, prod.Score, prod.MaxScore, prod.Severity)
	}
	for _, w := range []string{"changes since " + baseline, "1 lost, 0 gained", "prod: lost referrers (supported -> unsupported", "score 4/5 -> 3/5", "severity info -> warn",
		"newcomer: added", "retired: removed"} {
		if !strings.Contains(second.stdout, w) {
			t.Errorf("console lacks %q:\n%s", w, second.stdout)
		}
	}
	summary, _ := os.ReadFile(filepath.Join(second.out, "summary.md"))
	for _, w := range []string{"### Changes since the baseline", "- **prod**: lost referrers (supported → unsupported", "| prod | yes | no (lost) |", "- **retired**: removed"} {
		if !strings.Contains(string(summary), w) {
			t.Errorf("summary.md lacks %q:\n%s", w, summary)
		}
	}
	page, _ := os.ReadFile(filepath.Join(second.out, "report.html"))
	for _, w := range []string{"Changes since the baseline", "<strong>1 capability lost</strong>", `<span class="chg chg-lost">lost since baseline</span>`, "4/5 → 3/5", "info → warn"} {
		if !strings.Contains(string(page), w) {
			t.Errorf("report.html lacks %q", w)
		}
	}

	// The same comparison with --fail-on-regression fails the run.
	strict := runOcicaps(t, "--config", after, "--baseline", baseline, "--fail-on-regression")
	if strict.code != 1 {
		t.Errorf("with --fail-on-regression: exit %d, want 1\n%s", strict.code, strict.stderr)
	}
	if !strings.Contains(strict.stderr, "capabilities lost since "+baseline+" (--fail-on-regression): prod: referrers") {
		t.Errorf("stderr does not say what regressed:\n%s", strict.stderr)
	}
	if strict.run == nil || !strict.run.FailOnRegression {
		t.Error("results.json does not record --fail-on-regression")
	}

	// The other way round: prod gained referrers; a gain never fails.
	back := runOcicaps(t, "--config", before, "--baseline", filepath.Join(second.out, "results.json"), "--fail-on-regression")
	if back.code != 0 || back.run == nil || back.run.Trend.Gained != 1 || back.run.Trend.Lost != 0 {
		t.Errorf("gain: exit %d, trend %+v\n%s", back.code, back.run.Trend, back.stderr)
	}
}

// TestFailOn: the zoo's registries are at info and warn; --fail-on warn
// and info make the run exit 1 and say which registries did it.
func TestFailOn(t *testing.T) {
	cfg := writeConfig(t, order, nil)
	for _, tc := range []struct {
		failOn string
		code   int
		names  []string
	}{
		{"fail", 0, nil},
		{"warn", 1, []string{zoo.NameDistribution, zoo.NameDistributionNoDelete, zoo.NameCrane, zoo.NameOlaregNoReferrers}},
		{"info", 1, order},
	} {
		r := runOcicaps(t, "--config", cfg, "--fail-on", tc.failOn, "--format", "quiet,json")
		if r.code != tc.code {
			t.Errorf("--fail-on %s: exit %d, want %d\n%s", tc.failOn, r.code, tc.code, r.stderr)
		}
		if tc.names != nil && !strings.Contains(r.stderr, fmt.Sprintf("at or above --fail-on %s: %s", tc.failOn, strings.Join(tc.names, ", "))) {
			t.Errorf("--fail-on %s: stderr does not name %v:\n%s", tc.failOn, tc.names, r.stderr)
		}
		if r.run == nil || string(r.run.FailOn) != tc.failOn {
			t.Errorf("--fail-on %s not recorded in results.json", tc.failOn)
		}
	}
}

// TestFormats: --format picks the console output and the files.
func TestFormats(t *testing.T) {
	cfg := writeConfig(t, []string{zoo.NameOlareg, zoo.NameCrane}, nil)

	quiet := runOcicaps(t, "--config", cfg, "--format", "quiet,junit")
	if quiet.code != 0 || quiet.stdout != "" || quiet.stderr != "" {
		t.Errorf("quiet: exit %d, stdout %q, stderr %q", quiet.code, quiet.stdout, quiet.stderr)
	}
	if got := fileSizes(t, quiet.out); !strings.HasPrefix(got, "junit.xml ") || strings.Contains(got, ",") {
		t.Errorf("quiet,junit wrote: %s", got)
	}

	progress := runOcicaps(t, "--config", cfg, "--format", "progress")
	if strings.Contains(progress.stdout, "distribution-version") || !strings.Contains(progress.stdout, "  "+zoo.NameOlareg+" ") ||
		!strings.Contains(progress.stdout, "2 registries: 1 info, 1 warn\n") {
		t.Errorf("progress stdout:\n%s", progress.stdout)
	}
	for _, f := range []string{"junit.xml", "results.json", "report.html", "summary.md"} {
		if _, err := os.Stat(filepath.Join(progress.out, f)); err != nil {
			t.Errorf("default files: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(progress.out, "cucumber.json")); err == nil {
		t.Error("cucumber.json written without being asked for")
	}

	// godog's cucumber JSON: one feature per registry and capability, with
	// step and hook results that agree with results.json.
	cuke := runOcicaps(t, "--config", cfg, "--format", "cucumber,json")
	if cuke.code != 0 || cuke.run == nil {
		t.Fatalf("cucumber: exit %d\n%s", cuke.code, cuke.stderr)
	}
	data, err := os.ReadFile(filepath.Join(cuke.out, "cucumber.json"))
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		Result struct {
			Status string `json:"status"`
		} `json:"result"`
	}
	var features []struct {
		Name     string `json:"name"`
		URI      string `json:"uri"`
		Elements []struct {
			Steps []result `json:"steps"`
			After []result `json:"after"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(data, &features); err != nil {
		t.Fatalf("cucumber.json: %v", err)
	}
	if len(features) != 2*len(seedCaps) {
		t.Fatalf("%d features, want %d", len(features), 2*len(seedCaps))
	}
	for _, reg := range cuke.run.Registries {
		for _, c := range reg.Capabilities {
			var statuses []string
			found := false
			for _, f := range features {
				if f.Name == reg.Name+": "+c.Name && strings.HasPrefix(f.URI, reg.Name+"/") {
					found = true
					for _, e := range f.Elements {
						for _, s := range append(e.Steps, e.After...) {
							statuses = append(statuses, s.Result.Status)
						}
					}
				}
			}
			all := strings.Join(statuses, " ")
			switch {
			case !found:
				t.Errorf("cucumber.json has no feature %q", reg.Name+": "+c.Name)
			case c.Status == results.Supported && strings.Trim(all, "passed ") != "":
				t.Errorf("%s/%s supported, steps %s", reg.Name, c.ID, all)
			case c.Status == results.Unsupported && (!strings.Contains(all, "skipped") || strings.Contains(all, "failed")):
				t.Errorf("%s/%s unsupported, steps %s", reg.Name, c.ID, all)
			}
		}
	}
}
