package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
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

// A capability with only @verify scenarios is warned about in a folder of
// the user's own, never in the built-in suite (a quiet run prints nothing);
// `list` marks it, and a probe run's header counts it apart.
func TestVerifyOnlyCapabilities(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a.feature": `@capability:asked @check:check.example.v @severity:info
Feature: Asked
  Scenario: probe
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200

  @verify
  Scenario: done
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200
`,
		"b.feature": `@capability:only-done @check:check.example.v @severity:info
Feature: Only done
  @verify
  Scenario: done
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"list", "--features", dir}, &out, &errb); code != exitOK {
		t.Fatalf("list: exit %d\n%s", code, errb.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		marked := strings.Contains(line, "verify only")
		if strings.Contains(line, "only-done") != marked || (strings.Contains(line, "asked") && marked) {
			t.Errorf("list line %q: only only-done is verify only", line)
		}
	}
	if !strings.Contains(errb.String(), `capability "only-done" has only @verify scenarios`) || strings.Contains(errb.String(), `"asked"`) {
		t.Errorf("list --features: the folder's verify-only capability is warned about, and only it:\n%s", errb.String())
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost { // verify mode's preflight
			w.Header().Set("Location", r.URL.Path+"session")
			w.WriteHeader(http.StatusAccepted)
		}
	}))
	defer srv.Close()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, ", 1 capability (+1 need --verify) ("},
		{[]string{"--verify"}, ", 2 capabilities ("},
	} {
		out.Reset()
		errb.Reset()
		args := append([]string{"run", srv.URL, "--features", dir, "--format", "progress", "--out", t.TempDir()}, tc.args...)
		if code := run(context.Background(), args, &out, &errb); code != exitOK {
			t.Errorf("%v: exit %d\n%s%s", tc.args, code, out.String(), errb.String())
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%v: the header lacks %q:\n%s", tc.args, tc.want, out.String())
		}
	}
	// One registry in verify mode, one not: every capability runs
	// somewhere, and the header says where the verify-only one does.
	cfg := filepath.Join(t.TempDir(), "registries.yaml")
	yaml := "registries:\n  - {name: asked, url: \"" + srv.URL + "\"}\n  - {name: done, url: \"" + srv.URL + "\", mode: verify}\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	run(context.Background(), []string{"run", "--config", cfg, "--features", dir, "--format", "progress", "--out", t.TempDir()}, &out, &errb)
	if want := ", 2 capabilities (1 only on the 1 registry in verify mode) ("; !strings.Contains(out.String(), want) {
		t.Errorf("mixed modes: the header lacks %q:\n%s%s", want, out.String(), errb.String())
	}

	// The built-in suite has verify-only capabilities and warns about none.
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"list"}, &out, &errb); code != exitOK {
		t.Fatalf("list: exit %d\n%s", code, errb.String())
	}
	if errb.Len() > 0 {
		t.Errorf("list of the built-in suite warns:\n%s", errb.String())
	}
	if !strings.Contains(out.String(), "verify only") {
		t.Errorf("list marks no built-in capability verify only:\n%s", out.String())
	}
}
