package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Warnings are printed with file:line and a hint, and do not make a valid
// suite fail: files that validated before still validate.
func TestValidateWarnsButPasses(t *testing.T) {
	dir := t.TempDir()
	feature := `@capability:only-verify @check:check.example.v @severity:info
Feature: Only verify
  @verify
  Scenario: s
    Given I save "x" as "bodyDigest"
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200
`
	if err := os.WriteFile(filepath.Join(dir, "v.feature"), []byte(feature), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"validate", "--features", dir}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	for _, w := range []string{
		"warning: the suite has 2 likely mistake(s)",
		dir + `/v.feature:5: step "I save \"x\" as \"bodyDigest\"": saves {bodyDigest}, the name of a built-in variable`,
		dir + `/v.feature:2: capability "only-verify" has only @verify scenarios`,
		"hint: add a Scenario without @verify",
	} {
		if !strings.Contains(errb.String(), w) {
			t.Errorf("stderr lacks %q:\n%s", w, errb.String())
		}
	}
	if !strings.Contains(out.String(), "ok: 1 feature(s)") {
		t.Errorf("stdout: %s", out.String())
	}
}
