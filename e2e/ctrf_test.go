package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

type ctrfCheck struct {
	CTRF struct {
		Supported   []string `json:"supportedSpecVersions"`
		SpecVersion string   `json:"specVersion"`
		Valid       bool     `json:"valid"`
		Errors      []any    `json:"errors"`
	} `json:"ctrf"`
	Reporter struct {
		Summary struct{ Tests, Passed, Failed, Skipped, Pending, Other int } `json:"summary"`
		Tests   []struct{ Name, Status string }                              `json:"tests"`
	} `json:"github-actions-ctrf"`
}

// checkCTRF runs tools/ctrf/check.mjs on file.
func checkCTRF(t *testing.T, file string) ctrfCheck {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is missing: run ./scripts/install-test-deps.sh (Debian packages nodejs and npm)")
	}
	tool := filepath.Join(root, "tools", "ctrf")
	for _, pkg := range []string{"ctrf", "github-actions-ctrf"} {
		if _, err := os.Stat(filepath.Join(tool, "node_modules", pkg)); err != nil {
			t.Fatalf("%s is not installed in %s: run ./scripts/install-test-deps.sh (npm ci)", pkg, tool)
		}
	}
	cmd := exec.Command(node, filepath.Join(tool, "check.mjs"), file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("check.mjs: %v\n%s\n%s", err, out, stderr.String())
	}
	var got ctrfCheck
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("check.mjs output: %v\n%s", err, out)
	}
	return got
}

// TestCTRF validates ctrf.json with the pinned CTRF reference
// implementation and reads it with the CTRF GitHub test reporter, on a
// run over the zoo plus a refused registry with --fail-on warn, so that
// passed, failed and skipped tests are all there; what the reporter shows
// must be what results.json implies.
func TestCTRF(t *testing.T) {
	dead := fmt.Sprintf("http://127.0.0.1:%d", closedPort(t))
	cfg := writeConfig(t, order, map[string]string{"refuses": dead})
	r := runOcicaps(t, "--config", cfg, "--format", "quiet,json,ctrf", "--fail-on", "warn")
	if r.code != 1 || r.run == nil {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	file := filepath.Join(r.out, "ctrf.json")
	got := checkCTRF(t, file)
	if !got.CTRF.Valid || len(got.CTRF.Errors) > 0 {
		t.Errorf("ctrf does not validate ctrf.json (spec %s, supported %v): %v", got.CTRF.SpecVersion, got.CTRF.Supported, got.CTRF.Errors)
	}

	// What results.json implies, worked out here from the verdicts.
	var want struct{ Tests, Passed, Failed, Skipped int }
	var names []string
	status := map[string]string{}
	for _, reg := range r.run.Registries {
		for _, c := range reg.Capabilities {
			name := c.ID + " [" + reg.Name + "]"
			names = append(names, name)
			want.Tests++
			switch {
			case c.Status == results.Supported && len(c.Deviations) == 0,
				c.Status == results.Supported && !results.Info.FailsAt(r.run.FailOn):
				want.Passed++
				status[name] = "passed"
			case c.Status == results.Unsupported && !c.EffectiveSeverity().FailsAt(r.run.FailOn):
				want.Skipped++
				status[name] = "skipped"
			default:
				want.Failed++
				status[name] = "failed"
			}
		}
	}
	if want.Passed == 0 || want.Failed == 0 || want.Skipped == 0 {
		t.Fatalf("the run should have passed, failed and skipped tests: %+v", want)
	}
	s := got.Reporter.Summary
	if s.Tests != want.Tests || s.Passed != want.Passed || s.Failed != want.Failed || s.Skipped != want.Skipped || s.Pending+s.Other != 0 {
		t.Errorf("github-actions-ctrf summary %+v, results.json implies %+v", s, want)
	}
	if len(got.Reporter.Tests) != len(names) {
		t.Fatalf("github-actions-ctrf shows %d tests, want %d", len(got.Reporter.Tests), len(names))
	}
	for i, tc := range got.Reporter.Tests {
		if tc.Name != names[i] || tc.Status != status[names[i]] {
			t.Errorf("test %d shown as %q %s, want %q %s", i, tc.Name, tc.Status, names[i], status[names[i]])
		}
	}
	t.Logf("ctrf %s valid; github-actions-ctrf: %+v", got.CTRF.SpecVersion, s)
}

// TestCTRFValidatorRefuses guards the test above: the validator refuses a
// ctrf.json with a status CTRF does not have.
func TestCTRFValidatorRefuses(t *testing.T) {
	cfg := writeConfig(t, order[:1], nil)
	r := runOcicaps(t, "--config", cfg, "--format", "quiet,json,ctrf")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	data, err := os.ReadFile(filepath.Join(r.out, "ctrf.json"))
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(data, []byte(`"status": "passed"`), []byte(`"status": "supported"`), 1)
	if bytes.Equal(bad, data) {
		t.Fatal("no passed test to break")
	}
	file := filepath.Join(t.TempDir(), "ctrf.json")
	if err := os.WriteFile(file, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	node, _ := exec.LookPath("node")
	script := `import { validate } from 'ctrf'; import { readFileSync } from 'node:fs';
const r = validate(JSON.parse(readFileSync(process.argv[1], 'utf8'))); console.log(JSON.stringify(r));`
	cmd := exec.Command(node, "--input-type=module", "-e", script, file)
	cmd.Dir = filepath.Join(root, "tools", "ctrf")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var res struct{ Valid bool }
	if err := json.Unmarshal(out, &res); err != nil || res.Valid {
		t.Errorf("the validator accepted a test with status \"supported\": %s %v", out, err)
	}
}
