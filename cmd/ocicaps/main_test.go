package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ocicaps/ocicaps/features"
)

// TestBadInputRefused runs the CLI on broken configuration and feature
// files: each must exit 2 with the file, the line and what to do, before
// any registry is contacted. The registries.yaml cases live beside the
// parser (config/config_test.go, TestParseErrors); a few stay here.
func TestBadInputRefused(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	good := "registries:\n  - name: r1\n    url: " + srv.URL + "\n"
	secured := "registries:\n  - name: a\n    url: https://127.0.0.1:5000\n"
	goodFeature := "@capability:x @check:check.a.b @severity:info\nFeature: X\n  Scenario: s\n    When I send a GET request to \"/v2/\"\n"

	cases := []struct {
		name     string
		config   string
		features map[string]string
		args     []string
		want     []string // substrings of stderr
	}{
		{name: "malformed yaml", config: "registries:\n  - name: a\n   url: x\n", want: []string{"registries.yaml:1:", "malformed YAML", "check the indentation"}},
		{name: "unknown registry key", config: "registries:\n  - name: a\n    url: http://127.0.0.1:5000\n    testRepo: x\n", want: []string{"registries.yaml:4:", `unknown key "testRepo"`, `did you mean "testRepository"`}},
		{name: "unset password variable", config: secured + "    credentials:\n      username: alice\n      passwordEnv: OCICAPS_TEST_UNSET_VARIABLE\n",
			want: []string{"registries.yaml:6:", "OCICAPS_TEST_UNSET_VARIABLE", "is not set"}},
		{name: "password in the file", config: secured + "    credentials:\n      username: alice\n      password: hunter2\n",
			want: []string{"registries.yaml:6:", `"password" does not belong in registries.yaml`, "passwordEnv"}},
		{name: "docker config missing", config: secured + "    credentials:\n      dockerConfig: no-such-config.json\n",
			want: []string{"registries.yaml:5:", "no Docker config at", "no-such-config.json"}},
		{name: "unreadable CA file", config: secured + "    tls:\n      caFile: /nonexistent/ca.pem\n",
			want: []string{"registries.yaml:5:", "tls.caFile /nonexistent/ca.pem cannot be read"}},
		{name: "CA file without certificates", config: secured + "    tls:\n      caFile: registries.yaml\n",
			want: []string{"registries.yaml:5:", "holds no PEM certificate"}},
		{name: "certFile without keyFile", config: secured + "    tls:\n      certFile: registries.yaml\n",
			want: []string{"registries.yaml:5:", "tls.certFile needs tls.keyFile"}},
		{name: "insecureSkipVerify quoted", config: secured + "    tls:\n      insecureSkipVerify: \"true\"\n",
			want: []string{"registries.yaml:5:", "must be true or false"}},
		{name: "tls on plain http", config: "registries:\n  - name: a\n    url: http://127.0.0.1:5000\n    tls:\n      insecureSkipVerify: true\n",
			want: []string{"registries.yaml:5:", "plain HTTP"}},
		{name: "clients without workflow files", config: good, features: map[string]string{"x.feature": goodFeature}, args: []string{"--clients"},
			want: []string{"--clients: the suite", "has no client workflow files"}},
		{name: "misspelt clients key", config: "client:\n  oras: /x\n" + good, want: []string{"registries.yaml:1:", `unknown key "client" at the top level (did you mean "clients"?)`}},
		{name: "client workflow running another client", config: good, features: map[string]string{"x.feature": goodFeature,
			"oras.feature": "@client:oras\nFeature: oras\n  @workflow:push @needs:x @otherwise:fails\n  Scenario: push\n    When I run \"crane push a b\"\n"},
			want: []string{"oras.feature:5:", `runs "crane", not the file's client "oras"`}},
		{name: "unknown registry selected", config: good, args: []string{"--registry", "nope"}, want: []string{`no registry named nope`, "known: r1"}},
		{name: "missing config file", config: "-", want: []string{"cannot read the configuration", "--config"}},
		{name: "undefined step", config: good, features: map[string]string{"x.feature": strings.Replace(goodFeature, "I send a GET request", "I fire a GET request", 1)},
			want: []string{"x.feature:4:", "not in the vocabulary", "closest step"}},
		{name: "missing tags", config: good, features: map[string]string{"x.feature": "Feature: X\n  Scenario: s\n    When I send a GET request to \"/v2/\"\n"},
			want: []string{"x.feature:1:", "no @capability:<id> tag", "no @check:<id> tag", "no @severity:<level> tag"}},
		{name: "gherkin syntax", config: good, features: map[string]string{"x.feature": "@capability:x @check:check.a.b @severity:info\nFeature: X\n  Scenario: s\n    When I send a GET request to \"/v2/\"\n  this is not gherkin\n"},
			want: []string{"x.feature:5:", "Gherkin syntax error"}},
		{name: "line of 64 KiB", config: good, features: map[string]string{"x.feature": strings.Replace(goodFeature, `"/v2/"`, `"/v2/`+strings.Repeat("a", 1<<16)+`"`, 1)},
			want: []string{"x.feature:4:", "line of 65575 bytes, longer than the 65535"}},
		{name: "duplicate capability", config: good, features: map[string]string{"a.feature": goodFeature, "b.feature": goodFeature},
			want: []string{"b.feature:2:", `capability id "x" is already used by `, "/features/a.feature:2\n"}},
		{name: "bad condition", config: good, features: map[string]string{"x.feature": goodFeature + "    Then the capability is supported when the moon is full\n"},
			want: []string{"x.feature:5:", `unknown condition "the moon is full"`}},
		{name: "bad severity", config: good, features: map[string]string{"x.feature": strings.Replace(goodFeature, "@severity:info", "@severity:critical", 1)},
			want: []string{"x.feature:2:", `unknown severity "critical"`}},
		{name: "no selection", config: good, args: []string{"--check", "check.nope"}, want: []string{"no scenario matches", "check.integration.oci.capabilities"}},
		{name: "unknown format", config: good, args: []string{"--format", "pretty,pdf"}, want: []string{"--format", `unknown format "pdf"`, "markdown"}},
		{name: "two console formats", config: good, args: []string{"--format", "quiet,progress"}, want: []string{"two console formats"}},
		{name: "bad fail-on", config: good, args: []string{"--fail-on", "critical"}, want: []string{`--fail-on "critical"`, "fail, warn or info"}},
		{name: "fail-on pass", config: good, args: []string{"--fail-on", "pass"}, want: []string{`--fail-on "pass"`}},
		{name: "missing baseline", config: good, args: []string{"--baseline", "/nonexistent/results.json"}, want: []string{"--baseline", "/nonexistent/results.json"}},
		{name: "baseline of another major", config: good, args: []string{"--baseline", "BASELINE2"}, want: []string{"--baseline", `unsupported schemaVersion "2.0"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "registries.yaml")
			if tc.config != "-" {
				if err := os.WriteFile(cfg, []byte(tc.config), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := []string{"run", "--config", cfg, "--out", filepath.Join(dir, "out")}
			if tc.features != nil {
				fd := filepath.Join(dir, "features")
				os.Mkdir(fd, 0o755)
				for name, body := range tc.features {
					os.WriteFile(filepath.Join(fd, name), []byte(body), 0o644)
				}
				args = append(args, "--features", fd)
			}
			for i, a := range tc.args {
				if a == "BASELINE2" {
					tc.args[i] = filepath.Join(dir, "old.json")
					os.WriteFile(tc.args[i], []byte(`{"schemaVersion": "2.0", "registries": []}`), 0o644)
				}
			}
			args = append(args, tc.args...)
			before := hits.Load()
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			if hits.Load() != before {
				t.Errorf("a registry was contacted despite bad input")
			}
			if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
				t.Errorf("reports written for a run that never started")
			}
		})
	}
}

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), nil, &out, &errb); code != exitUsage {
		t.Errorf("no command: exit %d", code)
	}
	if code := run(context.Background(), []string{"frobnicate"}, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "unknown command") {
		t.Errorf("unknown command: exit %d %s", code, errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"version"}, &out, &errb); code != exitOK || !strings.HasPrefix(out.String(), "ocicaps ") {
		t.Errorf("version: exit %d %q", code, out.String())
	}
	if code := run(context.Background(), []string{"run", "--bogus"}, &out, &errb); code != exitUsage {
		t.Errorf("bad flag: exit %d", code)
	}
}

func TestValidateListSteps(t *testing.T) {
	var out, errb bytes.Buffer
	n := 0
	_ = fs.WalkDir(features.FS, ".", func(p string, d fs.DirEntry, err error) error {
		// Client workflow files (features/clients) are counted apart.
		if err == nil && strings.HasSuffix(p, ".feature") && !strings.HasPrefix(p, "clients/") {
			n++
		}
		return err
	})
	if code := run(context.Background(), []string{"validate"}, &out, &errb); code != exitOK || !strings.Contains(out.String(), fmt.Sprintf("ok: %d feature(s)", n)) || errb.Len() > 0 {
		t.Errorf("validate built-in suite: exit %d\n%s%s", code, out.String(), errb.String())
	}
	// The first line keeps the shape it had before client workflows:
	// "ok: N feature(s), M scenario(s) in SRC"; they are counted below it.
	first, rest, _ := strings.Cut(out.String(), "\n")
	if !regexp.MustCompile(`^ok: \d+ feature\(s\), \d+ scenario\(s\) in embedded$`).MatchString(first) || !strings.Contains(rest, "client workflow file(s)") {
		t.Errorf("validate's lines changed shape:\n%s", out.String())
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.feature"), []byte("Feature: X\n  Scenario: s\n    When I jump\n"), 0o644)
	out.Reset()
	errb.Reset()
	code := run(context.Background(), []string{"validate", "--features", dir}, &out, &errb)
	if code != exitUsage {
		t.Errorf("validate bad suite: exit %d", code)
	}
	for _, w := range []string{dir + "/bad.feature:3:", `step "I jump": not in the vocabulary`, "hint:", dir + "/bad.feature:1:"} {
		if !strings.Contains(errb.String(), w) {
			t.Errorf("validate output lacks %q:\n%s", w, errb.String())
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"list"}, &out, &errb); code != exitOK {
		t.Errorf("list: exit %d", code)
	}
	for _, w := range []string{"check.integration.oci.capabilities (default)", "referrers", "missing: warn", "check.integration.oci.extended", "single-post-upload", "fallback: monolithic-upload, single-post-upload"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("list lacks %q:\n%s", w, out.String())
		}
	}
	out.Reset()
	if code := run(context.Background(), []string{"steps"}, &out, &errb); code != exitOK {
		t.Errorf("steps: exit %d", code)
	}
	for _, w := range []string{"Outcomes", "the capability is supported when the status is 202", "Built-in variables", "{repository}", "{scratch}"} {
		if !strings.Contains(out.String(), w) {
			t.Errorf("steps lacks %q", w)
		}
	}
}

func TestParseFormats(t *testing.T) {
	cases := []struct {
		in      string
		console string
		files   string
	}{
		{"", "pretty", "junit,json,html,markdown,capabilities"},
		{"quiet", "quiet", "junit,json,html,markdown,capabilities"},
		{"capabilities", "pretty", "capabilities"},
		{"junit, cucumber", "pretty", "junit,cucumber"},
		{"progress,json,json", "progress", "json"},
	}
	for _, c := range cases {
		o, err := parseFormats(c.in)
		if err != nil || o.console != c.console || strings.Join(o.files, ",") != c.files {
			t.Errorf("parseFormats(%q) = %+v, %v; want %s %s", c.in, o, err, c.console, c.files)
		}
	}
}
