package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIMessages: a mistake gets the problem, a suggestion when there is
// one, and one line pointing at the help (never the whole usage); help is
// asked for, so it goes to stdout with exit 0.
func TestCLIMessages(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "r.yaml")
	writeTestFile(t, cfg, "registries:\n  - name: a\n    url: 127.0.0.1:15001\n")
	clientsCfg := filepath.Join(t.TempDir(), "c.yaml")
	writeTestFile(t, clientsCfg, "clients:\n  helm: /nonexistent/helm\nregistries:\n  - name: a\n    url: http://127.0.0.1:15001\n")
	cases := []struct {
		args   []string
		code   int
		stderr string // the whole of stderr, or its first lines
	}{
		{[]string{"run"}, exitUsage, "ocicaps run: no registries.yaml here: name the registries to probe (ocicaps run https://registry.example.com) or a file (--config FILE)\n"},
		{[]string{"rnu"}, exitUsage, "ocicaps: unknown command \"rnu\" (did you mean \"run\"?)\nRun \"ocicaps -h\" for the commands.\n"},
		{[]string{"--verfy"}, exitUsage, "ocicaps: --verfy before a command; flags follow the command, e.g. ocicaps run --verify\n"},
		{[]string{"--verify"}, exitUsage, "ocicaps: --verify before a command; flags follow the command, e.g. ocicaps run --verify\n"},
		// Not "ocicaps run -v", which is refused too (issue 24 item 6).
		{[]string{"-v"}, exitUsage, "ocicaps: unknown flag -v; flags follow a command (ocicaps run -h lists run's), and ocicaps version prints the version\n"},
		{[]string{"run", "--baseline", "/nonexistent.json", "http://127.0.0.1:1"}, exitUsage, "ocicaps run: --baseline: cannot read /nonexistent.json: no such file or directory\n"},
		{[]string{"run", "--verfy"}, exitUsage, "ocicaps run: unknown flag --verfy (did you mean --verify?)\nRun \"ocicaps run -h\" for the flags.\n"},
		{[]string{"run", "--url", "http://127.0.0.1:1"}, exitUsage, "ocicaps run: unknown flag --url\nRun \"ocicaps run -h\" for the flags.\n"},
		{[]string{"run", "--parallel", "x"}, exitUsage, "ocicaps run: invalid value \"x\" for flag --parallel: parse error\n"},
		{[]string{"run", "--parallel", "0", "http://127.0.0.1:1"}, exitUsage, "ocicaps run: --parallel must be at least 1\nRun \"ocicaps run -h\" for the flags.\n"},
		{[]string{"validate", "--feature", "x"}, exitUsage, "ocicaps validate: unknown flag --feature (did you mean --features?)\n"},
		{[]string{"run", "--config", cfg, "http://127.0.0.1:1"}, exitUsage, "ocicaps run: give --config or TARGETs, not both"},
		{[]string{"run", "--registry", "a", "http://127.0.0.1:1"}, exitUsage, "ocicaps run: --registry picks registries of a file"},
		{[]string{"run", "Alpine"}, exitUsage, "ocicaps run: TARGET Alpine: repository \"library/Alpine\" is not a valid repository name"},
		{[]string{"run", "--clients", "--config", clientsCfg}, exitUsage, "ocicaps: configuration error:\n  " + clientsCfg + ":2: clients: helm is /nonexistent/helm, which cannot be found: no such file or directory\n"},
		{[]string{"run", "--config", cfg}, exitUsage, "ocicaps: configuration error:\n  " + cfg + ":3: registry \"a\": bad url \"127.0.0.1:15001\": no scheme: did you mean http://127.0.0.1:15001 or https://127.0.0.1:15001?\n"},
	}
	for _, tc := range cases {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), tc.args, &stdout, &stderr)
		if code != tc.code || !strings.HasPrefix(stderr.String(), tc.stderr) {
			t.Errorf("ocicaps %s: exit %d, stderr:\n%s\nwant exit %d, stderr starting:\n%s", strings.Join(tc.args, " "), code, stderr.String(), tc.code, tc.stderr)
		}
		if n := strings.Count(stderr.String(), "\n"); n > 3 {
			t.Errorf("ocicaps %s: %d lines on stderr, want the problem and a pointer at -h:\n%s", strings.Join(tc.args, " "), n, stderr.String())
		}
	}
}

func TestHelpExitsZeroEverywhere(t *testing.T) {
	for _, cmd := range []string{"run", "merge", "validate", "list", "steps"} {
		for _, h := range []string{"-h", "--help"} {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{cmd, h}, &stdout, &stderr); code != exitOK || stdout.Len() == 0 || stderr.Len() != 0 {
				t.Errorf("ocicaps %s %s: exit %d, %d bytes of help on stdout, stderr %q; want 0, the help, nothing", cmd, h, code, stdout.Len(), stderr.String())
			}
		}
	}
}

// The help's placeholders are the ones meant: the flag package takes a
// `quoted` word of the description as the placeholder.
func TestRunHelpPlaceholders(t *testing.T) {
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"run", "-h"}, &stdout, &stderr)
	for _, want := range []string{"usage: ocicaps run [flags] [TARGET...]", "  -shard K/N\n", "  -config FILE\n", "  -anonymous\n", "  -plain-http\n"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("run -h lacks %q:\n%s", want, stdout.String())
		}
	}
	if strings.Contains(stdout.String(), "-shard ocicaps merge") {
		t.Error("the --shard placeholder is taken from its description")
	}
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
