package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
	"gopkg.in/yaml.v3"
)

// Bad --shard values are usage errors: exit 2, a message saying what K/N
// means, no registry contacted, no report written.
func TestBadShardRefused(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "registries.yaml")
	os.WriteFile(cfg, []byte("registries:\n  - name: r1\n    url: "+srv.URL+"\n"), 0o644)
	for in, want := range map[string]string{
		"0/2": "K must be from 1 to N", "3/2": "K must be from 1 to N", "2": "want K/N",
		"x/y": "whole numbers", "1/0": "N must be from 1", "": "",
	} {
		if in == "" {
			continue
		}
		var stdout, stderr bytes.Buffer
		out := filepath.Join(dir, "out")
		code := run(context.Background(), []string{"run", "--config", cfg, "--out", out, "--shard", in}, &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), want) || !strings.Contains(stderr.String(), "--shard") {
			t.Errorf("--shard %q: exit %d, stderr %q; want exit 2 saying %q", in, code, stderr.String(), want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("--shard %q: reports written", in)
		}
	}
	if hits.Load() != 0 {
		t.Error("a registry was contacted despite a bad --shard")
	}
}

// A shard whose share is empty (more shards than registries) still writes
// its results.json, so that merge finds every shard.
func TestEmptyShardWritesResults(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "registries.yaml")
	os.WriteFile(cfg, []byte("registries:\n  - name: only\n    url: http://127.0.0.1:9\n"), 0o644)
	var stdout, stderr bytes.Buffer
	out := filepath.Join(dir, "out")
	// "only" is the sole name, so shard 1/2 gets it and 2/2 nothing.
	if code := run(context.Background(), []string{"run", "--config", cfg, "--out", out, "--shard", "2/2"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	r, err := jsonfile.Read(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Registries) != 0 || r.Shard == nil || *r.Shard != (results.Shard{Index: 2, Count: 2, Total: 1, ListDigest: r.Shard.ListDigest}) {
		t.Errorf("empty shard: %d registries, shard %+v", len(r.Registries), r.Shard)
	}
}

func TestMergeUsage(t *testing.T) {
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "notes.txt")
	os.WriteFile(notJSON, []byte("hello"), 0o644)
	unsharded := filepath.Join(dir, "results.json")
	if err := jsonfile.Write(unsharded, &results.Run{Tool: results.Tool{Name: "ocicaps"}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{nil, "give the results.json of every shard"},
		{[]string{filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{notJSON}, "not a results.json"},
		{[]string{unsharded, "--out", filepath.Join(dir, "out")}, "not the results of a shard"},
		{[]string{"--bogus"}, "ocicaps merge: unknown flag --bogus\nRun \"ocicaps merge -h\" for the flags.\n"},
	}
	for _, tc := range cases {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"merge"}, tc.args...), &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("merge %v: exit %d, stderr %q; want exit 2 saying %q", tc.args, code, stderr.String(), tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("merge wrote reports for inputs it refused")
	}
}

func TestInterleavedFlags(t *testing.T) {
	fl := newFlags("merge", &bytes.Buffer{})
	fl.String("out", "", "")
	got := interleaved(fl, []string{"a.json", "--out", "dir", "b.json", "--out=x", "--", "-c.json"})
	want := []string{"--out", "dir", "--out=x", "--", "a.json", "b.json", "-c.json"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", got, want)
	}
}

// The CI recipes in docs/ci are valid YAML and call ocicaps only with
// flags it has, so they do not rot when flags change.
func TestCIRecipes(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "docs", "ci", "*.y*ml"))
	if len(files) < 3 {
		t.Fatalf("docs/ci holds %d recipes, want the GitHub Actions workflow and the Kubernetes Jobs", len(files))
	}
	flagsOf := func(cmd string) map[string]bool {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{cmd, "-h"}, &out, &errb); code != exitOK {
			t.Fatalf("ocicaps %s -h: exit %d, want 0", cmd, code)
		}
		m := map[string]bool{}
		for _, f := range regexp.MustCompile(`(?m)^\s+-([a-z-]+)`).FindAllStringSubmatch(out.String(), -1) {
			m[f[1]] = true
		}
		if len(m) == 0 {
			t.Fatalf("no flags in `ocicaps %s -h`:\n%s", cmd, out.String())
		}
		return m
	}
	known := map[string]map[string]bool{"run": flagsOf("run"), "merge": flagsOf("merge"), "history": flagsOf("history")}
	calls := regexp.MustCompile(`ocicaps (run|merge|history)((?:\\\n|[^\n])*)`)
	seen := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc any
			if err := dec.Decode(&doc); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%s: not valid YAML: %v", f, err)
				break
			}
		}
		for _, m := range calls.FindAllStringSubmatch(string(data), -1) {
			seen[m[1]] = true
			for _, fl := range regexp.MustCompile(`--([a-z-]+)`).FindAllStringSubmatch(m[2], -1) {
				if !known[m[1]][fl[1]] {
					t.Errorf("%s: `ocicaps %s` has no flag --%s", f, m[1], fl[1])
				}
			}
		}
	}
	if !seen["run"] || !seen["merge"] || !seen["history"] {
		t.Errorf("the recipes do not run shards, merge them and keep a history: %v", seen)
	}
}
