package ctrf

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestStatusMapping: the same verdict as junit.xml, so that a dashboard is
// red exactly when the run fails.
func TestStatusMapping(t *testing.T) {
	dev := []results.Deviation{{Section: "s", Rule: "r"}}
	cases := []struct {
		c      results.Capability
		failOn results.Severity
		want   string
	}{
		{results.Capability{Status: results.Supported}, results.Fail, Passed},
		{results.Capability{Status: results.Supported, Deviations: dev}, results.Fail, Passed},
		{results.Capability{Status: results.Supported, Deviations: dev}, results.Info, Failed},
		{results.Capability{Status: results.Unsupported, SeverityWhenMissing: results.Warn}, results.Fail, Skipped},
		{results.Capability{Status: results.Unsupported, SeverityWhenMissing: results.Warn}, results.Warn, Failed},
		{results.Capability{Status: results.Unsupported, SeverityWhenMissing: results.Info}, results.Warn, Skipped},
		{results.Capability{Status: results.Error}, results.Fail, Failed},
		{results.Capability{Status: "from a newer ocicaps"}, results.Fail, Other},
	}
	for _, tc := range cases {
		if got := Status(&results.Run{FailOn: tc.failOn}, tc.c); got != tc.want {
			t.Errorf("%+v at --fail-on %s: %s, want %s", tc.c, tc.failOn, got, tc.want)
		}
	}
}

// TestSummaryAddsUp: one test per registry × capability, the summary
// counts what the tests say, names are unique and on one line.
func TestSummaryAddsUp(t *testing.T) {
	run := resultstest.Sample()
	r := Build(run)
	n := 0
	for _, reg := range run.Registries {
		n += len(reg.Capabilities)
	}
	s := r.Results.Summary
	if s.Tests != n || len(r.Results.Tests) != n || s.Passed+s.Failed+s.Skipped+s.Pending+s.Other != n || s.Suites != len(run.Registries) {
		t.Errorf("summary %+v for %d capabilities", s, n)
	}
	names := map[string]bool{}
	for _, test := range r.Results.Tests {
		if names[test.Name] || bytes.ContainsAny([]byte(test.Name), "\n\r\x1b") {
			t.Errorf("name %q repeated or not on one line", test.Name)
		}
		names[test.Name] = true
	}
	var buf bytes.Buffer
	if err := Encode(&buf, run); err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil || back["reportFormat"] != "CTRF" || back["specVersion"] != SpecVersion {
		t.Errorf("%v %v", err, back["specVersion"])
	}
}

func TestSource(t *testing.T) {
	for in, want := range map[string]struct {
		file string
		line int
	}{
		"features/a.feature:12": {"features/a.feature", 12},
		"a.feature":             {"a.feature", 0},
		"c:/x.feature:x":        {"c:/x.feature:x", 0},
	} {
		if f, l := source(in); f != want.file || l != want.line {
			t.Errorf("source(%q) = %q %d", in, f, l)
		}
	}
}

// An integrity failure reads as one on a dashboard, never as a missing
// feature with the capability's own severity.
func TestIntegrityMessage(t *testing.T) {
	c := results.Capability{ID: "blob-range", Status: results.Unsupported, Reason: results.IntegrityWords + ": GET returned other bytes",
		Deviations: []results.Deviation{{Section: "Content integrity", Rule: results.IntegrityWords, Kind: results.KindIntegrity}}}
	if got := message(c); !strings.HasPrefix(got, "integrity failure (fails whatever the capability's severity): "+results.IntegrityWords) {
		t.Errorf("message %q", got)
	}
}
