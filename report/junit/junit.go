// Package junit writes junit.xml from the results model.
//
// The mapping is a contract (docs/reports.md): dashboards track history by
// testsuite and testcase names, so one testsuite per registry named after the
// registry and one testcase per capability named "<capability> [<registry>]"
// (unique across the file: GitLab keeps only the first of equal names), with
// classname "ocicaps.<registry>". Earlier versions named the testcase after the
// capability id alone, which repeated across suites (docs/reports.md says
// how to carry a dashboard's history over). Each suite's "verdict" properties and each testcase's first
// system-out line tell supported, deviation, unsupported and error apart. A supported capability passes, an error is an
// <error>, an unsupported one is <skipped> unless its severity reaches the
// run's --fail-on threshold, then it is a <failure>; a supported one with
// deviations passes unless --fail-on info makes them fail the run. The output must validate against the Jenkins xUnit
// schema (vendored in testdata/jenkins-junit-10.xsd).
package junit

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	gojunit "github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/ocicaps/ocicaps/report/internal/atomicfile"
	"github.com/ocicaps/ocicaps/report/internal/fallbacktext"
	"github.com/ocicaps/ocicaps/results"
)

// SuitesName is the name attribute of <testsuites>.
const SuitesName = "ocicaps"

// Build maps a run onto the go-junit-report types. A nil run gives an empty
// <testsuites>.
//
// The totals on <testsuites> carry tests, failures and errors but not
// skipped: the Jenkins schema has no skipped attribute on <testsuites> and
// rejects the file if it is there. The per-<testsuite> skipped counts are
// complete.
func Build(run *results.Run) gojunit.Testsuites {
	suites := gojunit.Testsuites{Name: SuitesName}
	if run == nil {
		return suites
	}
	suites.Time = seconds(run.DurationMS)
	for i, reg := range run.Registries {
		suites.AddSuite(buildSuite(i, run, reg))
	}
	addClientSuites(&suites, run)
	suites.Skipped = 0
	suites.Disabled = 0 // also absent from the schema; never set, cleared to be sure
	return suites
}

func buildSuite(id int, run *results.Run, reg results.Registry) gojunit.Testsuite {
	suite := gojunit.Testsuite{
		Name: clean(reg.Name),
		ID:   id,
		Time: seconds(reg.DurationMS),
	}
	if !run.StartedAt.IsZero() {
		// The model has no per-registry start; registries run in parallel
		// from the run's start, so that is the honest timestamp.
		suite.SetTimestamp(run.StartedAt)
	}
	suite.AddProperty("url", clean(reg.URL))
	suite.AddProperty("testRepository", clean(reg.TestRepository))
	suite.AddProperty("score", fmt.Sprintf("%d/%d", reg.Score, reg.MaxScore))
	suite.AddProperty("severity", clean(string(reg.Severity)))
	if reg.DistributionVersion != "" {
		suite.AddProperty("distributionVersion", clean(reg.DistributionVersion))
	}
	if run.Incomplete {
		suite.AddProperty("incomplete", "true")
	}
	if reg.Mode != "" {
		suite.AddProperty("mode", clean(reg.Mode))
	}
	for _, s := range reg.Scratch {
		suite.AddProperty("scratchRepository", clean(s))
	}
	for _, w := range reg.Warnings {
		suite.AddProperty("warning", clean(w))
	}
	if reg.Credentials != "" {
		suite.AddProperty("credentials", clean(reg.Credentials))
	}
	for _, l := range reg.Leftovers {
		suite.AddProperty("leftover", clean(fmt.Sprintf("%s %s: %s", l.What, l.URL, l.Reason)))
	}
	addVerdictProperties(&suite, reg)
	addFallbackProperties(&suite, reg)
	addDeviationProperties(&suite, reg)
	for _, c := range reg.Capabilities {
		suite.AddTestcase(buildCase(run, reg, c))
	}
	return suite
}

// addDeviationProperties adds one "deviation" property per deviation of
// the registry's capabilities (testcases have no properties in the
// Jenkins schema): "<capability>: <section>: <rule> (<evidence>)".
func addDeviationProperties(suite *gojunit.Testsuite, reg results.Registry) {
	for _, c := range reg.Capabilities {
		for _, d := range c.Deviations {
			suite.AddProperty("deviation", clean(c.ID+": "+DeviationLine(d)))
		}
	}
}

// DeviationLine renders a deviation as junit.xml shows it:
// "<section>: <rule> (METHOD URL -> STATUS)".
func DeviationLine(d results.Deviation) string {
	line := d.Section + ": " + d.Rule
	if e := d.Evidence; e.Method != "" {
		line += fmt.Sprintf(" (%s %s -> %d)", e.Method, e.URL, e.Status)
	} else if e.Command != "" {
		line += fmt.Sprintf(" ($ %s)", e.Command)
	}
	return line
}

func deviationLines(c results.Capability) []string {
	var out []string
	for _, d := range c.Deviations {
		out = append(out, DeviationLine(d))
	}
	return out
}

// CaseName is the testcase name of capability id on registry reg:
// "<id> [<reg>]". Capability ids hold no space, so the name is unique for
// every registry × capability pair.
func CaseName(reg, id string) string { return id + " [" + reg + "]" }

// Verdict words of the "verdict" properties and system-out lines.
const (
	VerdictSupported   = "supported"
	VerdictDeviation   = "deviation"
	VerdictUnsupported = "unsupported"
	VerdictError       = "error"
)

// VerdictWord tells the four outcomes apart: supported, deviation
// (supported, but breaking a MUST of the spec), unsupported (the registry
// answered no) and error (no answer about the capability).
func VerdictWord(c results.Capability) string {
	switch c.Status {
	case results.Supported:
		if len(c.Deviations) > 0 {
			return VerdictDeviation
		}
		return VerdictSupported
	case results.Unsupported:
		return VerdictUnsupported
	}
	return VerdictError
}

// addVerdictProperties gives the registry's testsuite one "verdict"
// property per capability, "<capability>: <verdict word>": the Jenkins
// schema has no properties on a testcase, and a skipped or failed testcase
// alone does not say which outcome it was.
func addVerdictProperties(suite *gojunit.Testsuite, reg results.Registry) {
	for _, c := range reg.Capabilities {
		suite.AddProperty("verdict", clean(c.ID+": "+VerdictWord(c)))
	}
}

func buildCase(run *results.Run, reg results.Registry, c results.Capability) gojunit.Testcase {
	tc := gojunit.Testcase{
		Name:      clean(CaseName(reg.Name, c.ID)),
		Classname: clean("ocicaps." + reg.Name),
		Time:      seconds(c.DurationMS),
	}
	exchanges := exchangeLines(c.Exchanges)
	verdict(&tc, run, c, exchanges)
	if out := systemOut(c, exchanges); len(out) > 0 {
		tc.SystemOut = &gojunit.Output{Data: clean(strings.Join(out, "\n") + "\n")}
	}
	return tc
}

// verdict marks tc failed, skipped or in error as the capability's status
// and the run's --fail-on threshold say; a supported one stays a pass.
func verdict(tc *gojunit.Testcase, run *results.Run, c results.Capability, exchanges []string) {
	switch c.Status {
	case results.Supported:
		// A plain testcase: passed; its deviations are in system-out and
		// the suite's properties. Only when they fail the run (--fail-on
		// info) is it a <failure>: a run that exits 1 must not read as all
		// passed on a dashboard.
		if len(c.Deviations) > 0 && results.Info.FailsAt(run.FailOn) {
			tc.Failure = &gojunit.Result{
				Message: clean(fmt.Sprintf("supported, but deviates from the spec (fails at %s): %s", run.Threshold(), strings.Join(deviationLines(c), "; "))),
				Type:    "deviation",
				Data:    clean(orNone(exchanges)),
			}
		}
	case results.Unsupported:
		if c.Corrupted() {
			// Corrupted data fails whatever the capability's severity,
			// and must not read like a missing feature.
			tc.Failure = &gojunit.Result{
				Message: clean("integrity failure (fails whatever the capability's severity): " + reasonOr(c.Reason)),
				Type:    "integrity",
				Data:    clean(orNone(exchanges)),
			}
			return
		}
		sev := c.EffectiveSeverity()
		if sev.FailsAt(run.FailOn) {
			// A finding at or above the run's --fail-on threshold fails the
			// run (exit 1), so the dashboard shows it red too: the same
			// verdict in both places.
			tc.Failure = &gojunit.Result{
				Message: clean(fmt.Sprintf("unsupported (severity when missing: %s, fails at %s): %s", sev, run.Threshold(), reasonOr(c.Reason))),
				Type:    "unsupported",
				Data:    clean(orNone(exchanges)),
			}
			return
		}
		// Unsupported is an answer about the registry, not a test failure;
		// skipped keeps dashboards green while the message keeps the reason
		// visible.
		tc.Skipped = &gojunit.Result{Message: clean(fmt.Sprintf(
			"unsupported (severity when missing: %s): %s", sev, reasonOr(c.Reason)))}
	case results.Error:
		tc.Error = &gojunit.Result{Message: clean(reasonOr(c.Reason)), Type: "error", Data: clean(orNone(exchanges))}
	default:
		// results.Summarize counts an unknown status as fail; report it the
		// same way rather than as a silent pass.
		tc.Error = &gojunit.Result{
			Message: clean(fmt.Sprintf("unknown status %q: %s", c.Status, reasonOr(c.Reason))),
			Type:    "error",
			Data:    clean(orNone(exchanges)),
		}
	}
}

// systemOut is what dashboards show beside the verdict: both verdicts in
// verify mode, the facts and the exchanges.
func systemOut(c results.Capability, exchanges []string) []string {
	out := []string{"verdict: " + VerdictWord(c)}
	if c.Verified != "" {
		// Verify mode: both verdicts, for dashboards that show system-out
		// (the testcase itself carries the verified one).
		probe := string(c.Probe)
		if probe == "" {
			probe = "(no probe scenario)"
		}
		out = append(out, "probe: "+probe, "verified: "+string(c.Verified))
		if c.Mismatch {
			out = append(out, "mismatch: "+c.Explanation)
		}
	}
	out = append(out, fallbackOut(c)...)
	for _, d := range deviationLines(c) {
		out = append(out, "deviation: "+d)
	}
	for _, f := range c.Facts {
		out = append(out, f.Name+": "+f.Value)
	}
	return append(out, exchanges...)
}

// addFallbackProperties gives the registry's testsuite one "fallback"
// property per unsupported capability with fallbacks, worded as on the
// console: the Jenkins schema has no properties on a testcase.
func addFallbackProperties(suite *gojunit.Testsuite, reg results.Registry) {
	for _, c := range reg.Capabilities {
		if l := fallbacktext.Line(c, noEscape); l != "" {
			suite.AddProperty("fallback", clean(l))
		}
	}
}

// fallbackOut is the testcase's own account of its fallbacks, one line
// each, for dashboards that show system-out beside the skipped testcase.
func fallbackOut(c results.Capability) []string {
	var out []string
	for _, f := range c.Fallbacks {
		out = append(out, fallbacktext.Phrase(f, noEscape))
	}
	return out
}

// noEscape keeps each fallback on one line; encoding/xml escapes
// attributes and clean() makes CDATA safe.
func noEscape(s string) string { return lineBreaks.Replace(s) }

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// ExchangeLine renders one exchange the way junit.xml shows it:
// "METHOD URL -> STATUS (N attempts, D ms)" or "METHOD URL -> error: ERR (...)",
// with " [cleanup]" appended for requests that undid what a scenario created.
func ExchangeLine(e results.Exchange) string {
	if e.Command != nil {
		return commandLine(e)
	}
	var b strings.Builder
	b.WriteString(e.Method)
	b.WriteString(" ")
	b.WriteString(e.URL)
	b.WriteString(" -> ")
	if e.Error != "" {
		b.WriteString("error: ")
		b.WriteString(e.Error)
	} else {
		b.WriteString(strconv.Itoa(e.Status))
	}
	attempts := "attempts"
	if e.Attempts == 1 {
		attempts = "attempt"
	}
	fmt.Fprintf(&b, " (%d %s, %d ms)", e.Attempts, attempts, e.DurationMS)
	b.WriteString(e.Via())
	if e.Note != "" {
		b.WriteString(" (" + e.Note + ")") // e.g. a body shorter than its Content-Length, kept
	}
	if e.Cleanup {
		b.WriteString(" [cleanup]")
	}
	return b.String()
}

// commandLine renders a client program's run the way an exchange line
// reads: "$ COMMAND LINE -> exit N (D ms)", or "-> error: ERR" when it got
// no result. Its output is in results.json and report.html.
func commandLine(e results.Exchange) string {
	c := e.Command
	ending := c.Ending()
	if e.Error != "" {
		ending = "error: " + e.Error
	}
	return fmt.Sprintf("$ %s -> %s (%d ms, %d bytes of output)", c.Line(), ending, c.DurationMS, c.OutputBytes)
}

func exchangeLines(xs []results.Exchange) []string {
	lines := make([]string, 0, len(xs))
	for _, e := range xs {
		lines = append(lines, ExchangeLine(e))
	}
	return lines
}

func orNone(lines []string) string {
	if len(lines) == 0 {
		return "(no HTTP exchanges recorded)\n"
	}
	return strings.Join(lines, "\n") + "\n"
}

func reasonOr(r string) string {
	if r == "" {
		return "(no reason recorded)"
	}
	return r
}

// seconds formats milliseconds as the schema's SUREFIRE_TIME ("1.234").
// Negative durations (clock steps) would not match the pattern, so they
// become zero.
func seconds(ms int64) string {
	if ms < 0 {
		ms = 0
	}
	return fmt.Sprintf("%d.%03d", ms/1000, ms%1000)
}

// clean makes a string safe for XML 1.0. encoding/xml escapes attribute
// values but writes CDATA (system-out, error text) byte for byte, so a
// control character or invalid UTF-8 in a registry's answer would otherwise
// make the whole file unparseable. Both are replaced with U+FFFD.
func clean(s string) string {
	ok := true
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && w == 1) || !isXMLChar(r) {
			ok = false
			break
		}
		i += w
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if (r == utf8.RuneError && w == 1) || !isXMLChar(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isXMLChar is the Char production of XML 1.0, section 2.2.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// Encode writes the junit.xml document for run to w.
func Encode(w io.Writer, run *results.Run) error {
	if err := encode(w, run); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	return nil
}

func encode(w io.Writer, run *results.Run) error {
	if run == nil {
		// An empty file would read as "zero registries tested", which is a
		// different statement from "there were no results".
		return errors.New("no run")
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	if err := stream(w, run); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	return nil
}

// stream writes what Build(run).WriteXML writes, a registry at a time
// (results.Run.Each): the totals on <testsuites> come first, from the
// verdicts, which the light copies of a fleet's registries hold; then
// each registry's <testsuite>, with its evidence, read back and
// forgotten.
func stream(w io.Writer, run *results.Run) error {
	totals := gojunit.Testsuites{Name: SuitesName, Time: seconds(run.DurationMS)}
	for i, reg := range run.Registries {
		s := buildSuite(i, run, results.Light(reg))
		s.Testcases, s.Properties = nil, nil
		totals.AddSuite(s)
	}
	if err := countClientSuites(&totals, run); err != nil {
		return err
	}
	totals.Suites = nil
	enc := xml.NewEncoder(w)
	enc.Indent("", "\t")
	start := xml.StartElement{Name: xml.Name{Local: "testsuites"}}
	for _, a := range []struct {
		name, value string
	}{
		{"name", totals.Name}, {"time", totals.Time}, {"tests", count(totals.Tests)},
		{"errors", count(totals.Errors)}, {"failures", count(totals.Failures)},
	} {
		if a.value != "" { // omitempty, as the struct says
			start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: a.name}, Value: a.value})
		}
	}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	suite := xml.StartElement{Name: xml.Name{Local: "testsuite"}}
	err := run.Each(func(i int, reg *results.Registry) error {
		return enc.EncodeElement(buildSuite(i, run, *reg), suite)
	})
	if err != nil {
		return err
	}
	// The readiness testsuites come after every registry's, as Build
	// adds them, each with its evidence: a second pass.
	id := len(run.Registries)
	err = run.Each(func(_ int, reg *results.Registry) error {
		if len(reg.Clients) == 0 {
			return nil
		}
		id++
		return enc.EncodeElement(clientSuite(id-1, run, *reg), suite)
	})
	if err != nil {
		return err
	}
	if err := enc.EncodeToken(start.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// countClientSuites adds the readiness testsuites' counts to totals:
// whether a client ran is in its evidence, which only the complete
// registries hold, read back when some registry has clients.
func countClientSuites(totals *gojunit.Testsuites, run *results.Run) error {
	has := false
	for _, reg := range run.Registries {
		has = has || len(reg.Clients) > 0
	}
	if !has {
		return nil
	}
	return run.Each(func(_ int, reg *results.Registry) error {
		if len(reg.Clients) > 0 {
			s := clientSuite(0, run, *reg)
			s.Testcases, s.Properties = nil, nil
			totals.AddSuite(s)
		}
		return nil
	})
}

// count is an omitempty count attribute: "" for 0.
func count(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// Write writes junit.xml for run to path atomically: a CI job that picks the
// file up never sees half of it, and a failed write leaves the old file.
func Write(path string, run *results.Run) error {
	if run == nil {
		return fmt.Errorf("junit: write %s: no run", path)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return encode(w, run) }); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	return nil
}
