package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// A flag that takes one value, given twice, is an error rather than the
// last one silently winning; repeatable flags stay repeatable.
func TestFlagGivenTwice(t *testing.T) {
	code, _, stderr := runCLI(t, "run", "--features", "a", "--features", "b", "http://127.0.0.1:1")
	if code != exitUsage || !strings.HasPrefix(stderr, "ocicaps run: --features given twice: --features takes one folder; to run folders together with the built-in suite, use --add-features DIR (repeatable)\n") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "validate", "--features", "a", "--features=b")
	if code != exitUsage || !strings.Contains(stderr, "--features given twice") {
		t.Errorf("validate: exit %d, stderr:\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "run", "--out", "a", "--out", "b", "http://127.0.0.1:1")
	if code != exitUsage || !strings.HasPrefix(stderr, "ocicaps run: --out given twice: give it once\n") {
		t.Errorf("--out twice: exit %d, stderr:\n%s", code, stderr)
	}
	// Repeatable: no error about repeating.
	_, _, stderr = runCLI(t, "validate", "--add-features", t.TempDir(), "--add-features", t.TempDir())
	if strings.Contains(stderr, "given twice") {
		t.Errorf("--add-features is repeatable:\n%s", stderr)
	}
}

// features export writes the built-in suite; the copy validates with no
// more warnings than the built-ins (none), and export never overwrites.
func TestFeaturesExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "copy")
	code, stdout, stderr := runCLI(t, "features", "export", dir)
	if code != exitOK || !strings.HasPrefix(stdout, "wrote ") {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, stderr)
	}
	builtin, err := os.ReadFile(filepath.Join("..", "..", "features", "capabilities", "05-delete.feature"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "capabilities", "05-delete.feature")); err != nil || !bytes.Equal(got, builtin) {
		t.Errorf("the exported 05-delete.feature is not the built-in one (%v)", err)
	}
	code, stdout, stderr = runCLI(t, "validate", "--features", dir)
	if code != exitOK || stderr != "" {
		t.Errorf("validate the copy: exit %d, stderr (want none, as for the built-ins):\n%s", code, stderr)
	}
	_, builtinOut, _ := runCLI(t, "validate")
	if strings.Fields(stdout)[1] != strings.Fields(builtinOut)[1] {
		t.Errorf("the copy has other features: %q vs %q", stdout, builtinOut)
	}
	code, _, stderr = runCLI(t, "features", "export", dir)
	if code != exitUsage || !strings.Contains(stderr, "exists: export into a new or empty folder") {
		t.Errorf("export over a copy: exit %d, stderr:\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "features", "dump", dir)
	if code != exitUsage || !strings.Contains(stderr, "give export and a folder") {
		t.Errorf("features dump: exit %d, stderr:\n%s", code, stderr)
	}
}

const blobHeadFeature = `@capability:blob-head @check:check.example.mine @severity:info
Feature: Blob HEAD
  HEAD on a blob the registry holds answers 200 with its size.

  Scenario: HEAD of the config blob
    When I send a GET request to "/v2/{repository}/manifests/{tag}"
    Then the capability is supported when the status is 200
`

// --add-features runs a folder beside the built-in suite: validate counts
// both, list shows both, and a problem names the file by the folder given.
func TestAddFeatures(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "blob-head.feature"), blobHeadFeature)
	_, builtinOut, _ := runCLI(t, "validate")
	code, stdout, stderr := runCLI(t, "validate", "--add-features", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if strings.Fields(stdout)[1] == strings.Fields(builtinOut)[1] || !strings.Contains(stdout, "embedded + "+dir) {
		t.Errorf("validate --add-features: %q (built-in: %q)", stdout, builtinOut)
	}
	_, list, _ := runCLI(t, "list", "--add-features", dir)
	if !strings.Contains(list, "check.example.mine") || !strings.Contains(list, "blob-head") || !strings.Contains(list, "distribution-version") {
		t.Errorf("list --add-features:\n%s", list)
	}
	writeTestFile(t, filepath.Join(dir, "bad.feature"), strings.Replace(blobHeadFeature, "blob-head", "delete", 1))
	code, _, stderr = runCLI(t, "validate", "--add-features", dir)
	if code != exitUsage || !strings.Contains(stderr, filepath.Join(dir, "bad.feature")+`:2: capability id "delete" is already used by capabilities/05-delete.feature:`) {
		t.Errorf("a clash with a built-in: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runCLI(t, "validate", "--features", dir, "--add-features", dir)
	if code != exitUsage || !strings.Contains(stderr, "give one of them") {
		t.Errorf("--features with --add-features: exit %d\n%s", code, stderr)
	}
}

// Every command's -h says what the command does, not only its flags.
func TestEveryCommandHelpSaysWhatItDoes(t *testing.T) {
	for _, cmd := range []string{"run", "merge", "validate", "list", "steps", "features"} {
		code, stdout, _ := runCLI(t, cmd, "-h")
		first, rest, _ := strings.Cut(stdout, "\n")
		if code != exitOK || !strings.HasPrefix(first, "usage: ocicaps "+cmd) || len(strings.TrimSpace(rest)) < 80 || strings.HasPrefix(strings.TrimSpace(rest), "-") {
			t.Errorf("ocicaps %s -h: exit %d, no description:\n%s", cmd, code, stdout)
		}
	}
}
