package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// A junit.xml shaped as the suite writes it (status attribute, errors in
// system-out, skipped and disabled both "skipped").
const suiteJUnit = `<testsuites time="1.0" tests="6" failures="1" skipped="2" disabled="1">
  <testsuite name="OCI Conformance Test" tests="6" failures="1" errors="0" time="1.0">
    <properties><property name="Config" value="registry: x"></property></properties>
    <testcase name="OCI Conformance Test/ping" classname="" time="0.01" status="passed"><system-err>GET /v2/</system-err></testcase>
    <testcase name="OCI Conformance Test/sha256 blobs/post only/blob-post-only" classname="" time="0.01" status="skipped"><system-out>registry does not support content in the POST, fallback to PUT</system-out></testcase>
    <testcase name="OCI Conformance Test/sha256 blobs/post cancel/blob-post-cancel" classname="" time="0.01" status="skipped"></testcase>
    <testcase name="OCI Conformance Test/sha256 blobs/chunked single/blob-patch-chunked" classname="" time="0.01" status="passed"></testcase>
    <testcase name="OCI Conformance Test/sha256 blobs/chunked multi/blob-patch-chunked" classname="" time="0.01" status="failure"><system-out>blob put did not return a location</system-out></testcase>
    <testcase name="OCI Conformance Test/sha512 blobs/chunked multi/blob-patch-chunked" classname="" time="0.01" status="failure"><system-out>sha512</system-out></testcase>
  </testsuite>
</testsuites>`

func TestParseSuiteJUnit(t *testing.T) {
	tests, err := parseSuiteJUnit(strings.NewReader(suiteJUnit))
	if err != nil {
		t.Fatal(err)
	}
	if len(tests) != 6 {
		t.Fatalf("got %d tests, want 6", len(tests))
	}
	want := []struct{ name, verdict string }{
		{"ping", vPass},
		{"sha256 blobs/post only/blob-post-only", vUnsupported},
		{"sha256 blobs/post cancel/blob-post-cancel", vNotJudged}, // disabled: no message
		{"sha256 blobs/chunked single/blob-patch-chunked", vPass},
		{"sha256 blobs/chunked multi/blob-patch-chunked", vFail},
	}
	for i, w := range want {
		if tests[i].Name != w.name || tests[i].verdict() != w.verdict {
			t.Errorf("test %d: %q %q, want %q %q", i, tests[i].Name, tests[i].verdict(), w.name, w.verdict)
		}
	}
	if tests[4].Message != "blob put did not return a location" {
		t.Errorf("message %q", tests[4].Message)
	}
	if _, err := parseSuiteJUnit(strings.NewReader(`<testsuites></testsuites>`)); err == nil {
		t.Error("a report without testcases was accepted")
	}
	if _, err := parseSuiteJUnit(strings.NewReader(`<testsuites`)); err == nil {
		t.Error("broken XML was accepted")
	}
}

func TestJudgeSuite(t *testing.T) {
	tests, err := parseSuiteJUnit(strings.NewReader(suiteJUnit))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		patterns []string
		verdict  string
		decided  []string
	}{
		// the worst verdict decides, and only the tests that gave it are named
		{[]string{`sha256 blobs/chunked (single|multi)/blob-patch-chunked`}, vFail, []string{"sha256 blobs/chunked multi/blob-patch-chunked"}},
		{[]string{`sha256 blobs/chunked single/.*`}, vPass, []string{"sha256 blobs/chunked single/blob-patch-chunked"}},
		{[]string{`ping`, `sha256 blobs/post only/blob-post-only`}, vUnsupported, []string{"sha256 blobs/post only/blob-post-only"}},
		// anchored: a prefix does not match
		{[]string{`sha256 blobs/chunked`}, vNotJudged, nil},
		// a disabled test judges nothing
		{[]string{`sha256 blobs/post cancel/blob-post-cancel`}, vNotJudged, nil},
	}
	for _, c := range cases {
		j, err := judgeSuite(tests, c.patterns)
		if err != nil {
			t.Fatal(err)
		}
		var decided []string
		for _, d := range j.Tests {
			decided = append(decided, d.Name)
		}
		if j.Verdict != c.verdict || !slices.Equal(decided, c.decided) {
			t.Errorf("%q: %q %q, want %q %q", c.patterns, j.Verdict, decided, c.verdict, c.decided)
		}
	}
	if _, err := judgeSuite(tests, []string{`(`}); err == nil {
		t.Error("a broken pattern was accepted")
	}
}

func TestAgree(t *testing.T) {
	cases := []struct {
		ocicaps, suite string
		want           bool
	}{
		{vPass, vPass, true},
		{vUnsupported, vUnsupported, true},
		{vUnsupported, vFail, true}, // both: it does not work
		{vDeviates, vFail, true},    // both: it breaks a MUST
		{vPass, vFail, false},       // crane's 201 without Location, before deviations
		{vUnsupported, vPass, false},
		{vDeviates, vPass, false},
		{vPass, vUnsupported, false},
		{vFail, vUnsupported, false},
		{vDeviates, vUnsupported, false},
	}
	for _, c := range cases {
		if got := agree(c.ocicaps, c.suite); got != c.want {
			t.Errorf("agree(%q, %q) = %v, want %v", c.ocicaps, c.suite, got, c.want)
		}
	}
}

const ocicapsResults = `{"schemaVersion":"1","registries":[{"name":"r","capabilities":[
 {"id":"chunked-upload","status":"supported","reason":"ok"},
 {"id":"single-post-upload","status":"unsupported","reason":"the status was 202 Accepted, not 201"},
 {"id":"upload-cancel","status":"supported","deviations":[{"section":"Pushing a blob in chunks","rule":"204"}]},
 {"id":"cross-repo-mount","status":"error","reason":"connection refused"},
 {"id":"catalog","status":"supported"}
]}]}`

func TestParseOcicapsResults(t *testing.T) {
	caps, err := parseOcicapsResults(strings.NewReader(ocicapsResults))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"chunked-upload": vPass, "single-post-upload": vUnsupported, "upload-cancel": vDeviates, "cross-repo-mount": vNotJudged, "catalog": vPass}
	for id, v := range want {
		if got := caps[id].verdict(); got != v {
			t.Errorf("%s: %q, want %q", id, got, v)
		}
	}
	if got := caps["upload-cancel"].deviationTexts(); !slices.Equal(got, []string{"Pushing a blob in chunks: 204"}) {
		t.Errorf("deviation sections %q", got)
	}
	if _, err := parseOcicapsResults(strings.NewReader(`{"registries":[]}`)); err == nil {
		t.Error("results without a registry were accepted")
	}
}

func TestCompare(t *testing.T) {
	tests, err := parseSuiteJUnit(strings.NewReader(suiteJUnit))
	if err != nil {
		t.Fatal(err)
	}
	caps, err := parseOcicapsResults(strings.NewReader(ocicapsResults))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := compare("r", caps, tests)
	if err != nil {
		t.Fatal(err)
	}
	// chunked-upload: pass vs fail (multi); single-post-upload: both
	// unsupported. upload-cancel: the suite's test is disabled here;
	// cross-repo-mount: ocicaps could not tell; catalog: no suite test.
	var got []string
	for _, c := range cs {
		got = append(got, c.Capability+" "+c.Ocicaps.verdict()+"/"+c.Suite.Verdict)
	}
	want := []string{"chunked-upload pass/fail", "single-post-upload unsupported/unsupported"}
	if !slices.Equal(got, want) {
		t.Fatalf("compared %q, want %q", got, want)
	}
	if cs[0].Agree() || !cs[1].Agree() {
		t.Errorf("agreement: %v %v", cs[0].Agree(), cs[1].Agree())
	}
}

// The ids a mapping may name: the contract and the existing ones.
var knownIDs = strings.Fields(`connectivity chunked-upload cross-repo-mount delete referrers
	referrers-lookup single-post-upload upload-status pull push catalog distribution-version credentials
	manifest-fidelity missing-content blob-range monolithic-upload chunked-out-of-order upload-cancel
	digest-validation sha512-digests mount-without-from mount-missing-blob manifest-push oci-index
	artifact-manifest subject-absent oci-subject-header large-manifest tag-list tag-list-pagination
	referrers-filter referrers-empty-list referrers-pagination referrers-tag-fallback catalog-pagination
	delete-tag delete-manifest delete-blob error-format`)

func TestMappings(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range mappings {
		if seen[m.Capability] {
			t.Errorf("%s mapped twice", m.Capability)
		}
		seen[m.Capability] = true
		if !slices.Contains(knownIDs, m.Capability) {
			t.Errorf("%s is not a capability id of the issue", m.Capability)
		}
		if len(m.Tests) == 0 {
			t.Errorf("%s maps no test", m.Capability)
		}
		for _, p := range m.Tests {
			if _, err := regexp.Compile(p); err != nil {
				t.Errorf("%s: %v", m.Capability, err)
			}
		}
	}
}

func TestStorageArea(t *testing.T) {
	cases := map[string]string{
		"docker/registry/v2/blobs/sha256/ab/abcd/data":                                   "blob data",
		"docker/registry/v2/repositories/ocicaps-crosscheck/repo1/_layers/sha256/x/link": "ocicaps-crosscheck/repo1",
		"docker/registry/v2/repositories/a/_manifests/tags/t/current/link":               "a",
		"ocicaps-crosscheck/repo2/blobs/sha256/abcd":                                     "ocicaps-crosscheck/repo2",
		"ocicaps-crosscheck/repo2/index.json":                                            "ocicaps-crosscheck/repo2",
		"stray":                                                                          "stray",
	}
	for in, want := range cases {
		if got := storageArea(in); got != want {
			t.Errorf("storageArea(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSuiteEnv(t *testing.T) {
	env := suiteEnv([]string{"PATH=/bin", "OCI_REGISTRY=elsewhere:5000", "OCI_API_PUSH=false", "HOME=/root"}, "/tmp/c.yaml")
	want := []string{"PATH=/bin", "HOME=/root", "OCI_CONFIGURATION=/tmp/c.yaml"}
	if !slices.Equal(env, want) {
		t.Errorf("suiteEnv = %q, want %q", env, want)
	}
	conf := string(suiteConfig("127.0.0.1:1234", "/tmp/r"))
	for _, s := range []string{`registry: "127.0.0.1:1234"`, "tls: disabled", `resultsDir: "/tmp/r"`, "uploadCancel: true", `version: "1.1"`} {
		if !strings.Contains(conf, s) {
			t.Errorf("suite config lacks %q:\n%s", s, conf)
		}
	}
}

func TestParseTags(t *testing.T) {
	tags, err := parseTags(200, []byte(`{"name":"a","tags":["x","y"]}`))
	if err != nil || !slices.Equal(tags, []string{"x", "y"}) {
		t.Errorf("tags %q, %v", tags, err)
	}
	if _, err := parseTags(500, nil); err == nil {
		t.Error("a 500 was read as a tag list")
	}
	if _, err := parseTags(200, []byte("404 page not found")); err == nil {
		t.Error("text was read as a tag list")
	}
}

func TestWriteMarkdown(t *testing.T) {
	tests, _ := parseSuiteJUnit(strings.NewReader(suiteJUnit))
	caps, _ := parseOcicapsResults(strings.NewReader(ocicapsResults))
	cs, err := compare("zoo-x", caps, tests)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	writeMarkdown(&b, "v0", []registryResult{
		{Name: "zoo-x", SuiteWall: 10 * time.Second, OcicapsWall: 500 * time.Millisecond, Comparisons: cs,
			SuiteTrace: trace{Uploads: []string{"a", "b"}}, OcicapsTrace: trace{UploadsUnknown: true}},
		{Name: "zoo-y", SuiteWall: time.Second, OcicapsWall: 100 * time.Millisecond,
			SuiteTrace: trace{Tags: []string{"r1:a", "r1:b", "r2:c"}, Files: map[string]int{"blob data": 3, "r1": 2}}},
		{Name: "zoo-slow", SuiteWall: 2 * time.Second, OcicapsWall: time.Second,
			OcicapsCPU: cpuUse{Tool: 300 * time.Millisecond, Registry: 900 * time.Millisecond, Known: true},
			SuiteCPU:   cpuUse{Tool: 1500 * time.Millisecond, Registry: 4 * time.Second, Known: true}},
	}, false, 2)
	out := b.String()
	for _, s := range []string{
		"| zoo-x | 10s | 500ms | 0.050 | yes |",
		"| zoo-slow | 2s | 1s | 0.500 | **no** |",
		"| zoo-x | 2 | 1 | 1 |",
		"| zoo-x | chunked-upload | pass | fail | `sha256 blobs/chunked multi/blob-patch-chunked`: blob put did not return a location |",
		"| zoo-x | 2 open upload sessions | uploads not observable (in memory) |",
		"| zoo-slow | nothing | nothing |",
		"| zoo-y | 1s | 100ms | 0.100 | yes |",
		"| zoo-y | 2 tags in r1; 1 tags in r2; files added: blob data: 3, r1: 2 | nothing |",
		"### Where the time goes (CPU, 2 cores)",
		"| zoo-slow | 300ms | 900ms | 600ms | 0.300 | 1.5s | 4s |",
		"| zoo-x | 0s | n/a | n/a | n/a | 0s | n/a |",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("report lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "single-post-upload") {
		t.Errorf("an agreement is listed without --all:\n%s", out)
	}
}

func TestCell(t *testing.T) {
	if got := cell("a |\n b"); got != `a \| b` {
		t.Errorf("cell = %q", got)
	}
	if got := []rune(cell(strings.Repeat("x", 400))); len(got) != 300 {
		t.Errorf("cell length %d", len(got))
	}
}

// A capability that works with a deviation agrees with the suite's FAIL and
// disagrees with its pass; the table names the deviation's rule.
func TestDeviationShown(t *testing.T) {
	tests, _ := parseSuiteJUnit(strings.NewReader(suiteJUnit))
	caps, err := parseOcicapsResults(strings.NewReader(`{"registries":[{"capabilities":[
	 {"id":"chunked-upload","status":"supported","deviations":[{"section":"Pushing a blob in chunks","rule":"201 MUST carry Location"}]},
	 {"id":"connectivity","status":"supported","deviations":[{"section":"Determining Support","rule":"a rule"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := compare("zoo-x", caps, tests)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Capability != "connectivity" || cs[0].Agree() || !cs[1].Agree() {
		t.Fatalf("comparisons %+v", cs)
	}
	var b strings.Builder
	writeMarkdown(&b, "v0", []registryResult{{Name: "zoo-x", SuiteWall: time.Second, Comparisons: cs}}, false, 2)
	if want := "| zoo-x | connectivity | deviates (Determining Support: a rule) | pass | `ping` |"; !strings.Contains(b.String(), want) {
		t.Errorf("report lacks %q:\n%s", want, b.String())
	}
}

// delete deletes a blob it already deleted: crane's 500 there is a
// deviation, and the suite's test of that case (a blob never pushed) is
// mapped too, so the two agree where crane passes the deletes of existing
// content (the disagreement of the first run after issue 12's merge).
func TestDeleteJudgesTheAbsentBlob(t *testing.T) {
	tests, err := parseSuiteJUnit(strings.NewReader(`<testsuites><testsuite name="OCI Conformance Test">
  <testcase name="OCI Conformance Test/image/delete/manifest-delete" status="passed"></testcase>
  <testcase name="OCI Conformance Test/image/delete/blob-delete" status="passed"></testcase>
  <testcase name="OCI Conformance Test/sha256 blobs/post cancel/blob-delete" status="failure"><system-out>blob delete failed: unexpected status code, expected one of [202 404 405], received 500</system-out></testcase>
</testsuite></testsuites>`))
	if err != nil {
		t.Fatal(err)
	}
	caps, err := parseOcicapsResults(strings.NewReader(`{"registries":[{"capabilities":[
	 {"id":"delete","status":"supported","deviations":[{"section":"Deleting Blobs","rule":"404"}]},
	 {"id":"delete-blob","status":"supported","deviations":[{"section":"Deleting Blobs","rule":"404"}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := compare("zoo-crane", caps, tests)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 {
		t.Fatalf("comparisons %+v", cs)
	}
	for _, c := range cs {
		if c.Suite.Verdict != vFail || !c.Agree() {
			t.Errorf("%s: suite %q, agree %v: the suite's delete of an absent blob must judge it", c.Capability, c.Suite.Verdict, c.Agree())
		}
	}
}
