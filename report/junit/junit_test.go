package junit

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gojunit "github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// nasty holds everything that breaks naive XML: markup, entities, quotes,
// a CDATA terminator, control characters, an ANSI escape and invalid UTF-8.
const nasty = "a <b> & \"c\" 'd' ]]> \x00\x01\x07\x1b[31m \xff\xfe end\r\nline2\ttab"

func sampleRun(incomplete bool) *results.Run {
	start := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	dist := results.Registry{
		Name: "distribution", URL: "http://127.0.0.1:5000", TestRepository: "library/alpine", TestTag: "latest",
		DurationMS: 1234,
		Capabilities: []results.Capability{
			{
				ID: "distribution-version", Check: "check.integration.oci.capabilities", Name: "Distribution version",
				SeverityWhenMissing: results.Info, Status: results.Supported, DurationMS: 12,
				Facts: []results.Fact{{Name: "distribution version", Value: "registry/2.0"}},
				Exchanges: []results.Exchange{
					{Method: "GET", URL: "http://127.0.0.1:5000/v2/", Status: 200, Attempts: 1, DurationMS: 3},
				},
			},
			{
				ID: "referrers", SeverityWhenMissing: results.Warn, Status: results.Unsupported,
				Reason: "referrers API answered 404 without an OCI index " + nasty, DurationMS: 5,
				Exchanges: []results.Exchange{
					{Method: "GET", URL: "http://127.0.0.1:5000/v2/library/alpine/referrers/sha256:abc?x=1&y=<2>", Status: 404, Attempts: 1, DurationMS: 2},
				},
			},
			{
				ID: "chunked-upload", SeverityWhenMissing: results.Info, Status: results.Error,
				Reason: "connection refused " + nasty, DurationMS: 3001,
				Exchanges: []results.Exchange{
					{Method: "POST", URL: "http://127.0.0.1:5000/v2/library/alpine/blobs/uploads/", Attempts: 3, DurationMS: 3000, Error: "dial tcp: " + nasty},
					{Method: "DELETE", URL: "http://127.0.0.1:5000/v2/x", Status: 202, Attempts: 1, DurationMS: 1, Cleanup: true},
				},
			},
			{ID: "delete", Status: results.Supported, DurationMS: -5}, // clock step: negative
		},
		Leftovers: []results.Leftover{{What: "upload session", URL: "http://127.0.0.1:5000/v2/u/1", Reason: "DELETE answered 405 " + nasty}},
	}
	results.Summarize(&dist)
	odd := results.Registry{
		Name: "zoo \"olareg\" <mem> & co " + nasty, URL: "http://[::1]:1/?a=b&c=d",
		Capabilities: []results.Capability{
			{ID: "referrers", Status: results.Unsupported, Reason: ""},
			{ID: "cross-repo-mount", Status: "weird"}, // unknown status: counts as an error
			{ID: "delete", Status: results.Error},     // no reason, no exchanges
		},
	}
	results.Summarize(&odd)
	return &results.Run{
		SchemaVersion: results.SchemaVersion, StartedAt: start, FinishedAt: start.Add(2 * time.Second),
		DurationMS: 2000, Incomplete: incomplete,
		Registries: []results.Registry{dist, odd, {Name: "empty"}},
	}
}

func failOn(run *results.Run, sev results.Severity) *results.Run {
	run.FailOn = sev
	return run
}

func TestJUnitValidatesAndCountsMatch(t *testing.T) {
	cases := map[string]*results.Run{
		"mixed":           sampleRun(false),
		"incomplete":      sampleRun(true),
		"zero registries": {SchemaVersion: results.SchemaVersion},
		"zero values":     {Registries: []results.Registry{{}, {Capabilities: []results.Capability{{}}}}},
		"fail on warn":    failOn(sampleRun(false), results.Warn),
		"fail on info":    failOn(sampleRun(false), results.Info),
	}
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "junit.xml")
			if err := Write(path, run); err != nil {
				t.Fatal(err)
			}
			validate(t, path)
			checkAgainstModel(t, path, run)
		})
	}
}

// TestSchemaIsEnforced guards the validation test itself: if xmllint
// accepted anything, the test above would prove nothing. A skipped
// attribute on <testsuites> is what the go-junit-report types would write
// were Build not to clear it.
func TestSchemaIsEnforced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.xml")
	bad := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<testsuites name="ocicaps" skipped="1"><testsuite name="r" tests="1" failures="0" errors="0"><testcase name="x"><skipped message="m"/></testcase></testsuite></testsuites>` + "\n"
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := xmllint(t, path); err == nil {
		t.Fatalf("xmllint accepted a file the schema forbids:\n%s", out)
	}
}

// TestSchemaRefusesWhatJenkinsRefuses: attributes other JUnit dialects
// write but Jenkins' schema does not allow are refused, while the same file
// without them is accepted (so the refusal is the attribute's doing).
func TestSchemaRefusesWhatJenkinsRefuses(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<testsuites name="ocicaps"><testsuite name="r" tests="1" failures="0" errors="0"%s><testcase name="x"%s></testcase></testsuite></testsuites>` + "\n"
	cases := []struct {
		name, suiteAttr, caseAttr string
		ok                        bool
	}{
		{"plain", "", "", true},
		{"testcase@status", "", ` status="run"`, false},
		{"testsuite@disabled", ` disabled="0"`, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "junit.xml")
			if err := os.WriteFile(path, []byte(fmt.Sprintf(doc, tc.suiteAttr, tc.caseAttr)), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := xmllint(t, path)
			if (err == nil) != tc.ok {
				t.Fatalf("xmllint error %v, want accepted=%v\n%s", err, tc.ok, out)
			}
		})
	}
}

func TestUnsupportedAndErrorMapping(t *testing.T) {
	s := Build(sampleRun(false))
	tcs := s.Suites[0].Testcases
	if tcs[0].Skipped != nil || tcs[0].Error != nil || tcs[0].Failure != nil {
		t.Errorf("supported capability is not a plain testcase: %+v", tcs[0])
	}
	wantOut := "verdict: supported\ndistribution version: registry/2.0\nGET http://127.0.0.1:5000/v2/ -> 200 (1 attempt, 3 ms)\n"
	if tcs[0].SystemOut == nil || tcs[0].SystemOut.Data != wantOut {
		t.Errorf("system-out = %+v, want %q", tcs[0].SystemOut, wantOut)
	}
	if tcs[0].Time != "0.012" {
		t.Errorf("time = %q, want 0.012", tcs[0].Time)
	}
	if tcs[1].Skipped == nil || !strings.HasPrefix(tcs[1].Skipped.Message,
		"unsupported (severity when missing: warn): referrers API answered 404 without an OCI index a <b> & \"c\"") {
		t.Errorf("unsupported mapping: %+v", tcs[1].Skipped)
	}
	e := tcs[2].Error
	if e == nil || e.Type != "error" || !strings.HasPrefix(e.Message, "connection refused a <b>") {
		t.Fatalf("error mapping: %+v", e)
	}
	if !strings.Contains(e.Data, "POST http://127.0.0.1:5000/v2/library/alpine/blobs/uploads/ -> error: dial tcp: a <b>") ||
		!strings.Contains(e.Data, "(3 attempts, 3000 ms)\n") ||
		!strings.Contains(e.Data, "DELETE http://127.0.0.1:5000/v2/x -> 202 (1 attempt, 1 ms) [cleanup]\n") {
		t.Errorf("error text lacks the exchanges:\n%s", e.Data)
	}
	if tcs[3].Time != "0.000" {
		t.Errorf("negative duration gave time %q", tcs[3].Time)
	}
	if got := tcs[0].Classname; got != "ocicaps.distribution" {
		t.Errorf("classname = %q", got)
	}
	props := map[string][]string{}
	for _, p := range *s.Suites[0].Properties {
		props[p.Name] = append(props[p.Name], p.Value)
	}
	if props["score"][0] != "2/4" || props["severity"][0] != "fail" || props["distributionVersion"][0] != "registry/2.0" ||
		props["url"][0] != "http://127.0.0.1:5000" || props["testRepository"][0] != "library/alpine" ||
		!strings.HasPrefix(props["leftover"][0], "upload session http://127.0.0.1:5000/v2/u/1: DELETE answered 405 ") {
		t.Errorf("properties: %v", props)
	}
	if _, ok := props["incomplete"]; ok {
		t.Errorf("incomplete property on a complete run")
	}
	odd := s.Suites[1].Testcases
	if odd[0].Skipped == nil || odd[0].Skipped.Message != "unsupported (severity when missing: info): (no reason recorded)" {
		t.Errorf("unsupported without reason: %+v", odd[0].Skipped)
	}
	if odd[1].Error == nil || !strings.HasPrefix(odd[1].Error.Message, `unknown status "weird"`) {
		t.Errorf("unknown status: %+v", odd[1].Error)
	}
	if odd[2].Error == nil || odd[2].Error.Data != "(no HTTP exchanges recorded)\n" {
		t.Errorf("error without exchanges: %+v", odd[2].Error)
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	if err := Write(filepath.Join(dir, "junit.xml"), nil); err == nil {
		t.Error("nil run: no error")
	}
	err := Write(filepath.Join(dir, "missing", "junit.xml"), sampleRun(false))
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing folder: err = %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("failed writes left files: %v", entries)
	}
	if err := Encode(&bytes.Buffer{}, nil); err == nil {
		t.Error("Encode(nil): no error")
	}
}

// checkAgainstModel parses the file back and compares names, order and
// counts with the run, so the totals go-junit-report computes are checked
// against ours rather than trusted.
func checkAgainstModel(t *testing.T, path string, run *results.Run) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte(xml.Header)) {
		t.Errorf("no XML declaration")
	}
	var got gojunit.Testsuites
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatalf("parse back: %v", err)
	}
	rootAttrs := rootAttributes(t, data)
	if _, ok := rootAttrs["skipped"]; ok {
		t.Errorf("<testsuites> has a skipped attribute; the Jenkins schema forbids it")
	}
	if got.Name != "ocicaps" {
		t.Errorf("testsuites name = %q", got.Name)
	}
	if len(got.Suites) != len(run.Registries) {
		t.Fatalf("%d testsuites, want %d", len(got.Suites), len(run.Registries))
	}
	var tests, errs, skipped, fails int
	names := map[string]bool{} // testcase names over the whole file
	for i, reg := range run.Registries {
		s := got.Suites[i]
		if s.Name != clean(reg.Name) {
			t.Errorf("suite %d name = %q, want %q", i, s.Name, clean(reg.Name))
		}
		var wantErr, wantSkip, wantFail int
		for _, c := range reg.Capabilities {
			switch {
			case c.Status == results.Supported:
			case c.Status == results.Unsupported && c.EffectiveSeverity().FailsAt(run.FailOn):
				wantFail++
			case c.Status == results.Unsupported:
				wantSkip++
			default:
				wantErr++
			}
		}
		if s.Tests != len(reg.Capabilities) || s.Errors != wantErr || s.Skipped != wantSkip || s.Failures != wantFail {
			t.Errorf("suite %q counts tests=%d errors=%d skipped=%d failures=%d, want %d %d %d %d",
				s.Name, s.Tests, s.Errors, s.Skipped, s.Failures, len(reg.Capabilities), wantErr, wantSkip, wantFail)
		}
		if len(s.Testcases) != len(reg.Capabilities) {
			t.Fatalf("suite %q has %d testcases, want %d", s.Name, len(s.Testcases), len(reg.Capabilities))
		}
		var seenSkip, seenErr, seenFail int
		for j, c := range reg.Capabilities {
			tc := s.Testcases[j]
			if tc.Name != clean(c.ID+" ["+reg.Name+"]") || tc.Classname != clean("ocicaps."+reg.Name) {
				t.Errorf("testcase %d of %q: name=%q classname=%q", j, s.Name, tc.Name, tc.Classname)
			}
			if names[tc.Name] {
				t.Errorf("testcase name %q twice in the file", tc.Name)
			}
			names[tc.Name] = true
			if want := "verdict: " + VerdictWord(c) + "\n"; tc.SystemOut == nil || !strings.HasPrefix(tc.SystemOut.Data, want) {
				t.Errorf("testcase %q: system-out does not start with %q: %+v", tc.Name, want, tc.SystemOut)
			}
			if !hasProperty(s, "verdict", clean(c.ID+": "+VerdictWord(c))) {
				t.Errorf("suite %q has no verdict property for %s", s.Name, c.ID)
			}
			if tc.Skipped != nil {
				seenSkip++
			}
			if tc.Error != nil {
				seenErr++
			}
			if tc.Failure != nil {
				seenFail++
			}
		}
		if seenSkip != wantSkip || seenErr != wantErr || seenFail != wantFail {
			t.Errorf("suite %q: %d <skipped>, %d <error>, %d <failure> elements, want %d, %d, %d", s.Name, seenSkip, seenErr, seenFail, wantSkip, wantErr, wantFail)
		}
		inc := false
		if s.Properties != nil {
			for _, p := range *s.Properties {
				if p.Name == "incomplete" && p.Value == "true" {
					inc = true
				}
			}
		}
		if inc != run.Incomplete {
			t.Errorf("suite %q: incomplete property %v, run incomplete %v", s.Name, inc, run.Incomplete)
		}
		tests += len(reg.Capabilities)
		errs += wantErr
		skipped += wantSkip
		fails += wantFail
	}
	if got.Tests != tests || got.Errors != errs || got.Failures != fails {
		t.Errorf("testsuites totals tests=%d errors=%d failures=%d, want %d %d %d", got.Tests, got.Errors, got.Failures, tests, errs, fails)
	}
	var sumSkipped int
	for _, s := range got.Suites {
		sumSkipped += s.Skipped
	}
	if sumSkipped != skipped {
		t.Errorf("skipped over suites = %d, want %d", sumSkipped, skipped)
	}
}

func rootAttributes(t *testing.T, data []byte) map[string]string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("no root element: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			m := map[string]string{}
			for _, a := range se.Attr {
				m[a.Name.Local] = a.Value
			}
			return m
		}
	}
}

func validate(t *testing.T, path string) {
	t.Helper()
	if out, err := xmllint(t, path); err != nil {
		data, _ := os.ReadFile(path)
		t.Fatalf("%s does not validate against the Jenkins schema: %v\n%s\n--- file ---\n%s", path, err, out, data)
	}
}

// xmllint validates path against the Jenkins xUnit schema. A missing
// xmllint or schema fails the test: skipping would let an invalid
// junit.xml through unnoticed.
func xmllint(t *testing.T, path string) (string, error) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatalf("xmllint not found; it validates junit.xml against the Jenkins schema. Install it: apt-get update && apt-get install -y libxml2-utils")
	}
	// The schema is vendored (MIT, from the Jenkins xUnit plugin) so that
	// the check needs nothing beside the repository.
	xsd := filepath.Join(repoRoot(t), "report", "junit", "testdata", "jenkins-junit-10.xsd")
	if _, err := os.Stat(xsd); err != nil {
		t.Fatalf("vendored schema missing: %v", err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", xsd, path).CombinedOutput()
	return string(out), err
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		} else if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal(fmt.Errorf("no go.mod above the test's folder"))
		}
		dir = parent
	}
}

// --fail-on turns findings at or above the threshold into failures, so the
// dashboard turns red exactly when the run exits 1 for them; below it they
// stay skipped.
func TestFailOnMapping(t *testing.T) {
	run := sampleRun(false)
	run.Registries[0].Capabilities = append(run.Registries[0].Capabilities,
		results.Capability{ID: "must", Status: results.Unsupported, SeverityWhenMissing: results.Fail, Reason: "no"})
	results.Summarize(&run.Registries[0])
	find := func(s gojunit.Testsuites, id string) gojunit.Testcase {
		for _, tc := range s.Suites[0].Testcases {
			if tc.Name == CaseName(s.Suites[0].Name, id) {
				return tc
			}
		}
		t.Fatalf("no testcase %s", id)
		return gojunit.Testcase{}
	}
	// Default threshold (fail): a warn finding is skipped, a fail-when-missing one fails.
	s := Build(run)
	if tc := find(s, "referrers"); tc.Skipped == nil || tc.Failure != nil {
		t.Errorf("default: referrers %+v, want skipped", tc)
	}
	if tc := find(s, "must"); tc.Failure == nil || tc.Failure.Type != "unsupported" ||
		tc.Failure.Message != "unsupported (severity when missing: fail, fails at fail): no" {
		t.Errorf("default: must = %+v, want a failure", tc.Failure)
	}
	run.FailOn = results.Warn
	s = Build(run)
	tc := find(s, "referrers")
	if tc.Failure == nil || tc.Skipped != nil ||
		!strings.HasPrefix(tc.Failure.Message, "unsupported (severity when missing: warn, fails at warn): referrers API answered 404") ||
		!strings.Contains(tc.Failure.Data, "GET http://127.0.0.1:5000/v2/library/alpine/referrers/sha256:abc") {
		t.Errorf("fail-on warn: referrers = %+v", tc)
	}
	if s.Suites[0].Failures != 2 || s.Failures != 2 {
		t.Errorf("failures suite=%d total=%d, want 2", s.Suites[0].Failures, s.Failures)
	}
	// An info finding stays skipped at warn, fails at info.
	if tc := find(s, "chunked-upload"); tc.Error == nil {
		t.Errorf("an error stays an error: %+v", tc)
	}
	odd := s.Suites[1].Testcases[0] // unsupported, no severity: counts as info
	if odd.Skipped == nil {
		t.Errorf("info finding at --fail-on warn: %+v", odd)
	}
	run.FailOn = results.Info
	if odd := Build(run).Suites[1].Testcases[0]; odd.Failure == nil {
		t.Errorf("info finding at --fail-on info: %+v", odd)
	}
}

// A supported capability with a deviation passes, shows the deviation in
// system-out and as a suite property, and fails only when --fail-on info
// makes the deviation fail the run (exit 1 must not read as all passed).
func TestDeviationMapping(t *testing.T) {
	run := resultstest.Sample()
	find := func(s gojunit.Testsuites) gojunit.Testcase {
		for _, tc := range s.Suites[0].Testcases {
			if tc.Name == CaseName(s.Suites[0].Name, "chunked-upload") {
				return tc
			}
		}
		t.Fatal("no chunked-upload testcase")
		return gojunit.Testcase{}
	}
	s := Build(run)
	tc := find(s)
	if tc.Failure != nil || tc.Skipped != nil || tc.Error != nil {
		t.Errorf("default threshold: %+v, want a pass", tc)
	}
	if tc.SystemOut == nil || !strings.Contains(tc.SystemOut.Data, "deviation: Pushing a blob in chunks: the 201 Created closing an upload session MUST carry Location") {
		t.Errorf("system-out lacks the deviation: %+v", tc.SystemOut)
	}
	found := false
	for _, p := range *s.Suites[0].Properties {
		found = found || (p.Name == "deviation" && strings.HasPrefix(p.Value, "chunked-upload: Pushing a blob in chunks: ") && strings.HasSuffix(p.Value, "(PUT http://127.0.0.1:5001/v2/library/alpine/blobs/uploads/7?digest=sha256:abc -> 201)"))
	}
	if !found {
		t.Errorf("no deviation property: %+v", *s.Suites[0].Properties)
	}
	run.FailOn = results.Info
	tc = find(Build(run))
	if tc.Failure == nil || tc.Failure.Type != "deviation" || !strings.HasPrefix(tc.Failure.Message, "supported, but deviates from the spec (fails at info): Pushing a blob in chunks: ") {
		t.Errorf("fail-on info: %+v", tc.Failure)
	}
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := Write(path, run); err != nil {
		t.Fatal(err)
	}
	validate(t, path)
}

func hasProperty(s gojunit.Testsuite, name, value string) bool {
	if s.Properties == nil {
		return false
	}
	for _, p := range *s.Properties {
		if p.Name == name && p.Value == value {
			return true
		}
	}
	return false
}

// TestVerdictWords: the four outcomes have four words, and the
// testcases of the same capability on two registries have two names.
func TestVerdictWords(t *testing.T) {
	dev := results.Capability{Status: results.Supported, Deviations: []results.Deviation{{Section: "s", Rule: "r"}}}
	for c, want := range map[*results.Capability]string{
		{Status: results.Supported}: VerdictSupported, &dev: VerdictDeviation,
		{Status: results.Unsupported}: VerdictUnsupported, {Status: results.Error}: VerdictError, {Status: "weird"}: VerdictError,
	} {
		if got := VerdictWord(*c); got != want {
			t.Errorf("%+v: %q, want %q", *c, got, want)
		}
	}
	if CaseName("a", "referrers") == CaseName("b", "referrers") {
		t.Error("the same capability on two registries has one name")
	}
}
