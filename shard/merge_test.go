package shard

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/report"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
)

// single is what one machine reports for seven registries, in config
// order (Index), with evidence, leftovers and every status.
func single() *results.Run {
	start := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	statuses := []results.Status{results.Supported, results.Unsupported, results.Error}
	names := []string{"prod-harbor", "eu-quay", "acr-west", "zot-lab", "dev-distribution", "ecr", "gar"}
	run := &results.Run{
		SchemaVersion: results.SchemaVersion, Tool: results.Tool{Name: "ocicaps", Version: "v1.2.3"},
		StartedAt: start, FinishedAt: start.Add(4 * time.Second), DurationMS: 4000,
		ConfigFile: "registries.yaml", Suite: "embedded", Selection: "@check:check.integration.oci.capabilities",
	}
	for i, name := range names {
		reg := results.Registry{
			Index: i + 2, Name: name, URL: "https://" + name + ".example.com", TestRepository: "library/alpine", TestTag: "latest",
			DurationMS: int64(100 * (i + 1)), Leftovers: []results.Leftover{},
		}
		for j, id := range []string{"distribution-version", "referrers", "delete"} {
			st := statuses[(i+j)%3]
			reg.Capabilities = append(reg.Capabilities, results.Capability{
				ID: id, Check: "check.integration.oci.capabilities", Name: id, SeverityWhenMissing: results.Warn,
				Status: st, Reason: fmt.Sprintf("%s on %s", st, name), Facts: []results.Fact{{Name: "distribution version", Value: "1.1"}},
				Source: "capabilities/" + id + ".feature:12", DurationMS: 7,
				Exchanges: []results.Exchange{{Method: "GET", URL: reg.URL + "/v2/", Status: 200, Attempts: 1, DurationMS: 3,
					ResponseHeaders: map[string][]string{"Content-Type": {"application/json"}}}},
			})
		}
		if i%3 == 0 {
			reg.Leftovers = append(reg.Leftovers, results.Leftover{What: "blob", URL: reg.URL + "/v2/x/blobs/sha256:1", Reason: "405"})
		}
		results.Summarize(&reg)
		run.Registries = append(run.Registries, reg)
	}
	return run
}

// cut splits a run into the shards `ocicaps run --shard K/N` would have
// written, each with the run's own times, so that the merge of a perfect
// split must give back the run exactly.
func cut(t *testing.T, run *results.Run, n int) []Input {
	t.Helper()
	var names []string
	for _, r := range run.Registries {
		names = append(names, r.Name)
	}
	dir := t.TempDir()
	var out []Input
	for k := n; k >= 1; k-- { // given in reverse: merge must not depend on argument order
		s := *run
		s.Registries = nil
		s.Shard = &results.Shard{Index: k, Count: n, Total: len(names), ListDigest: ListDigest(names)}
		for _, i := range Pick(names, Spec{k, n}) {
			s.Registries = append(s.Registries, run.Registries[i])
		}
		p := filepath.Join(dir, fmt.Sprintf("results-%d.json", k))
		if err := jsonfile.Write(p, &s); err != nil {
			t.Fatal(err)
		}
		r, err := jsonfile.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Input{File: p, Run: r})
	}
	return out
}

// writeAll writes every report file of run and returns name → content.
func writeAll(t *testing.T, run *results.Run) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	paths, err := report.WriteAll(dir, run)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = data
	}
	return out
}

// For N from 1 to 4, merging the shards gives every report file (whatever
// report.WriteAll writes, now and later) byte for byte as the single run.
func TestMergeEqualsSingleRun(t *testing.T) {
	run := single()
	want := writeAll(t, run)
	if len(want) < 2 {
		t.Fatalf("WriteAll wrote %d files", len(want))
	}
	for n := 1; n <= 4; n++ {
		merged, err := Merge(cut(t, run, n))
		if err != nil {
			t.Fatalf("N=%d: %v", n, err)
		}
		got := writeAll(t, merged)
		for name, w := range want {
			if !bytes.Equal(got[name], w) {
				t.Errorf("N=%d: %s differs from the single run's:\n--- merged\n%s\n--- single\n%s", n, name, got[name], w)
			}
		}
	}
}

func TestMergeTimesAndIncomplete(t *testing.T) {
	in := cut(t, single(), 3)
	in[0].Run.StartedAt = in[0].Run.StartedAt.Add(-time.Minute)
	in[1].Run.FinishedAt = in[1].Run.FinishedAt.Add(time.Minute)
	in[2].Run.Incomplete = true
	m, err := Merge(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := single().StartedAt.Add(-time.Minute); !m.StartedAt.Equal(want) {
		t.Errorf("startedAt %v, want the earliest shard's %v", m.StartedAt, want)
	}
	if m.DurationMS != (4000 + 120000) {
		t.Errorf("durationMs %d, want first start to last finish", m.DurationMS)
	}
	if !m.Incomplete || m.Shard != nil {
		t.Errorf("incomplete %v shard %v: want incomplete (a shard was) and no shard record", m.Incomplete, m.Shard)
	}
}

func TestMergeRefuses(t *testing.T) {
	cases := []struct {
		name   string
		change func([]Input) []Input
		want   []string
	}{
		{"missing shard", func(in []Input) []Input { return in[1:] }, []string{"shard 3/3 is missing"}},
		{"shard twice", func(in []Input) []Input { return append(in, in[0]) }, []string{"shard 3/3 is given twice", "results-3.json"}},
		{"not a shard", func(in []Input) []Input { in[1].Run.Shard = nil; return in }, []string{"results-2.json: not the results of a shard", "--shard K/N"}},
		{"other selection", func(in []Input) []Input { in[2].Run.Selection = "@capability:delete"; return in }, []string{`the shards differ in selection: "@capability:delete" in `, `results-1.json; "@check:check.integration.oci.capabilities" in `, "results-2.json, "}},
		{"other suite", func(in []Input) []Input { in[0].Run.Suite = "./mine"; return in }, []string{`differ in suite: "embedded" in`, `; "./mine" in`}},
		{"other schema", func(in []Input) []Input { in[0].Run.SchemaVersion = "1.0"; return in }, []string{`differ in schemaVersion:`, `"1.0" in`}},
		{"other tool", func(in []Input) []Input { in[0].Run.Tool.Version = "v9"; return in }, []string{`"ocicaps v9" in`}},
		{"other count", func(in []Input) []Input { in[0].Run.Shard.Count = 4; return in }, []string{"differ in shard count"}},
		{"other list", func(in []Input) []Input { in[0].Run.Shard.ListDigest = ListDigest([]string{"x"}); return in }, []string{"differ in registry list"}},
		{"registry in two shards", func(in []Input) []Input {
			in[0].Run.Registries = append(in[0].Run.Registries, in[1].Run.Registries[0])
			return in
		}, []string{"is in", "and in"}},
		{"registry missing", func(in []Input) []Input {
			in[0].Run.Registries = in[0].Run.Registries[1:]
			return in
		}, []string{"are not the 7 registries they were cut from"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Merge(tc.change(cut(t, single(), 3)))
			if err == nil || !IsMergeError(err) {
				t.Fatalf("err = %v, want a merge error", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
		})
	}
	if _, err := Merge(nil); err == nil {
		t.Error("no inputs: no error")
	}
}
