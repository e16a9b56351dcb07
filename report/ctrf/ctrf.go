// Package ctrf writes ctrf.json, a Common Test Report Format document
// (ctrf.io), the JSON that a growing set of CI reporters read. One test per
// registry × capability, named as in junit.xml; the status mapping is a
// contract documented in docs/reports.md. The spec version written is the
// one the pinned npm package ctrf (tools/ctrf) validates.
package ctrf

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ocicaps/ocicaps/internal/safetext"
	"github.com/ocicaps/ocicaps/report/internal/atomicfile"
	"github.com/ocicaps/ocicaps/report/junit"
	"github.com/ocicaps/ocicaps/results"
)

// SpecVersion is the CTRF specification version written: the one the
// pinned ctrf package (0.3.0) supports and validates against.
const SpecVersion = "0.0.0"

// CTRF test statuses.
const (
	Passed  = "passed"
	Failed  = "failed"
	Skipped = "skipped"
	Other   = "other"
)

// Report is the CTRF document, with the fields ocicaps fills.
type Report struct {
	ReportFormat string  `json:"reportFormat"`
	SpecVersion  string  `json:"specVersion"`
	Timestamp    string  `json:"timestamp,omitempty"`
	GeneratedBy  string  `json:"generatedBy"`
	Results      Results `json:"results"`
}

// Results is CTRF's results object.
type Results struct {
	Tool        Tool           `json:"tool"`
	Summary     Summary        `json:"summary"`
	Tests       []Test         `json:"tests"`
	Environment Environment    `json:"environment"`
	Extra       map[string]any `json:"extra,omitempty"`
}

// Tool names ocicaps.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// Summary counts the tests by status; start and stop are milliseconds
// since the Unix epoch.
type Summary struct {
	Tests    int   `json:"tests"`
	Passed   int   `json:"passed"`
	Failed   int   `json:"failed"`
	Skipped  int   `json:"skipped"`
	Pending  int   `json:"pending"`
	Other    int   `json:"other"`
	Suites   int   `json:"suites"`
	Start    int64 `json:"start"`
	Stop     int64 `json:"stop"`
	Duration int64 `json:"duration"`
}

// Environment says what ran.
type Environment struct {
	ReportName string         `json:"reportName"`
	Healthy    bool           `json:"healthy"`
	Extra      map[string]any `json:"extra,omitempty"`
}

// Test is one registry × capability.
type Test struct {
	TestID    string         `json:"testId"`
	Name      string         `json:"name"`
	Status    string         `json:"status"`
	Duration  int64          `json:"duration"`
	Suite     []string       `json:"suite"`
	Message   string         `json:"message,omitempty"`
	RawStatus string         `json:"rawStatus"`
	Tags      []string       `json:"tags,omitempty"`
	Labels    map[string]any `json:"labels"`
	Type      string         `json:"type"`
	FilePath  string         `json:"filePath,omitempty"`
	Line      int            `json:"line,omitempty"`
	Retries   int            `json:"retries"`
	Flaky     bool           `json:"flaky"`
	Stdout    []string       `json:"stdout"`
	Extra     map[string]any `json:"extra"`
}

// Build maps run onto a CTRF report. A registry whose complete results
// cannot be read back (results.Run.Each) ends the list of tests there;
// Encode says so.
func Build(run *results.Run) Report {
	r, _ := build(run)
	return r
}

func build(run *results.Run) (Report, error) {
	r := Report{
		ReportFormat: "CTRF", SpecVersion: SpecVersion,
		GeneratedBy: strings.TrimSpace("ocicaps " + run.Tool.Version),
		Results: Results{
			Tool:  Tool{Name: "ocicaps", Version: run.Tool.Version},
			Tests: []Test{},
			Environment: Environment{ReportName: "OCI registry capabilities", Healthy: len(run.Failing()) == 0 && !run.Incomplete,
				Extra: map[string]any{"configFile": run.ConfigFile, "suite": run.Suite, "selection": run.Selection,
					"failOn": string(run.Threshold()), "incomplete": run.Incomplete}},
		},
	}
	if !run.FinishedAt.IsZero() {
		r.Timestamp = run.FinishedAt.UTC().Format(time.RFC3339)
	}
	s := &r.Results.Summary
	s.Suites = len(run.Registries)
	s.Start, s.Stop, s.Duration = millis(run.StartedAt), millis(run.FinishedAt), max(run.DurationMS, 0)
	// The tests carry each capability's evidence: the registries are read
	// back complete, one at a time.
	// The client workflows' tests come after every capability's, each
	// with its evidence, from the same registries read back.
	var clients []Test
	err := run.Each(func(_ int, reg *results.Registry) error {
		for _, c := range reg.Capabilities {
			r.Results.Tests = append(r.Results.Tests, test(run, *reg, c))
		}
		if len(reg.Clients) > 0 {
			s.Suites++
			clients = append(clients, clientTests(*reg)...)
		}
		return nil
	})
	r.Results.Tests = append(r.Results.Tests, clients...)
	for _, t := range r.Results.Tests {
		s.Tests++
		switch t.Status {
		case Passed:
			s.Passed++
		case Failed:
			s.Failed++
		case Skipped:
			s.Skipped++
		default:
			s.Other++
		}
	}
	return r, err
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// Status maps a verdict onto CTRF as junit.xml does, so that a dashboard
// is red exactly when the run fails: supported passes (fails when its
// deviations reach --fail-on info); unsupported is skipped (fails when its
// severity reaches --fail-on); error fails (no answer is a failure of the
// run, exit 1); a status ocicaps does not know is other.
func Status(run *results.Run, c results.Capability) string {
	switch c.Status {
	case results.Supported:
		if len(c.Deviations) > 0 && results.Info.FailsAt(run.FailOn) {
			return Failed
		}
		return Passed
	case results.Unsupported:
		if c.EffectiveSeverity().FailsAt(run.FailOn) {
			return Failed
		}
		return Skipped
	case results.Error:
		return Failed
	}
	return Other
}

func test(run *results.Run, reg results.Registry, c results.Capability) Test {
	// One line each: reporters put names into Markdown tables, where a
	// newline in a registry's name would end the row.
	name := safetext.Line(junit.CaseName(reg.Name, c.ID))
	t := Test{
		TestID: name, Name: name, Status: Status(run, c), Duration: max(c.DurationMS, 0),
		Suite: []string{safetext.Line(reg.Name)}, RawStatus: string(c.Status), Type: "capability",
		Message: message(c),
		Labels: map[string]any{
			"registry": reg.Name, "capability": c.ID, "verdict": junit.VerdictWord(c),
			"severityWhenMissing": string(c.SeverityWhenMissing), "deviations": len(c.Deviations),
		},
		Stdout: []string{}, Extra: map[string]any{},
	}
	if c.Check != "" {
		t.Tags = []string{c.Check}
	}
	t.FilePath, t.Line = source(c.Source)
	if reg.Mode != "" {
		t.Labels["mode"] = reg.Mode
	}
	for _, f := range c.Facts {
		t.Stdout = append(t.Stdout, f.Name+": "+f.Value)
	}
	for _, e := range c.Exchanges {
		t.Stdout = append(t.Stdout, junit.ExchangeLine(e))
	}
	evidence(&t, c)
	return t
}

// message is what a dashboard shows next to the status.
func message(c results.Capability) string {
	reason := c.Reason
	if reason == "" {
		reason = "(no reason recorded)"
	}
	if c.Corrupted() {
		// Not a missing feature: the registry gave back other bytes.
		return "integrity failure (fails whatever the capability's severity): " + reason
	}
	switch junit.VerdictWord(c) {
	case junit.VerdictSupported:
		return ""
	case junit.VerdictDeviation:
		lines := make([]string, 0, len(c.Deviations))
		for _, d := range c.Deviations {
			lines = append(lines, junit.DeviationLine(d))
		}
		return "supported, but deviates from the spec: " + strings.Join(lines, "; ")
	case junit.VerdictUnsupported:
		return fmt.Sprintf("unsupported (severity when missing: %s): %s", c.EffectiveSeverity(), reason)
	}
	return reason
}

// evidence fills the test's extra: deviations, how many requests and HTTP
// retries the verdict rests on, verify mode's two verdicts, fallbacks.
// CTRF's own retries field counts re-runs of a test, which ocicaps never
// does, so it stays 0 and the HTTP retries are in extra.httpRetries.
func evidence(t *Test, c results.Capability) {
	devs := []map[string]any{}
	for _, d := range c.Deviations {
		ev := fmt.Sprintf("%s %s -> %d", d.Evidence.Method, d.Evidence.URL, d.Evidence.Status)
		if d.Evidence.Method == "" && d.Evidence.Command != "" {
			ev = "$ " + d.Evidence.Command // a client program's run (schema 1.3)
		}
		devs = append(devs, map[string]any{"section": d.Section, "rule": d.Rule, "evidence": ev})
	}
	t.Extra["deviations"] = devs
	retries, retried := 0, []string{}
	for _, e := range c.Exchanges {
		if e.Attempts > 1 {
			retries += e.Attempts - 1
			retried = append(retried, junit.ExchangeLine(e)+": "+strings.Join(e.Retries, ", "))
		}
	}
	t.Extra["requests"] = len(c.Exchanges)
	t.Extra["httpRetries"] = retries
	if len(retried) > 0 {
		t.Extra["retried"] = retried
	}
	if c.Verified != "" {
		t.Extra["probe"], t.Extra["verified"], t.Extra["mismatch"] = string(c.Probe), string(c.Verified), c.Mismatch
		if c.Mismatch {
			t.Extra["explanation"] = c.Explanation
		}
	}
	if len(c.Fallbacks) > 0 {
		fb := []map[string]any{}
		for _, f := range c.Fallbacks {
			fb = append(fb, map[string]any{"capability": f.Capability, "status": string(f.Status), "verified": f.Verified})
		}
		t.Extra["fallbacks"] = fb
	}
}

// source splits "features/x.feature:12" into its file and line.
func source(s string) (string, int) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return s, 0
	}
	n, err := strconv.Atoi(s[i+1:])
	if err != nil || n < 1 {
		return s, 0
	}
	return s[:i], n
}

// Encode writes the report for run as indented JSON with a trailing
// newline.
func Encode(w io.Writer, run *results.Run) error {
	if run == nil {
		return fmt.Errorf("ctrf: no run")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	r, err := build(run)
	if err != nil {
		return fmt.Errorf("ctrf: %w", err)
	}
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("ctrf: encode: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// Write writes ctrf.json for run to path atomically.
func Write(path string, run *results.Run) error {
	if run == nil {
		return fmt.Errorf("ctrf: write %s: no run", path)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return Encode(w, run) }); err != nil {
		return fmt.Errorf("ctrf: %w", err)
	}
	return nil
}
