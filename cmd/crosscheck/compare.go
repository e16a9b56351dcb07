package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"
)

// suitePrefix starts every test name of the conformance suite.
const suitePrefix = "OCI Conformance Test/"

// A mapping says which tests of the conformance suite judge the behaviour
// an ocicaps capability judges. Tests are regular expressions over the test
// name without suitePrefix, anchored at both ends, matched against the
// suite's leaf tests (junit.xml testcases). Only sha256 content is mapped
// unless the capability is about another algorithm: the suite runs every
// data set twice, and a sha512 failure says nothing about, say, chunking.
type mapping struct {
	Capability string
	Tests      []string
}

// mappings is the table the cross-check compares by. Capabilities with no
// suite test are listed in docs/spec-coverage.md, not here. Ids of
// capabilities not in a run are skipped (an older ocicaps binary, say).
// push (check.integration.oci.push) is not mapped: it only opens an upload
// session, and no suite test judges that alone.
var mappings = []mapping{
	// seed and related checks
	{"connectivity", []string{`ping`}},
	{"chunked-upload", []string{`sha256 blobs/chunked (single|multi|multi and put chunk)/blob-patch-chunked`}},
	{"cross-repo-mount", []string{`sha256 blobs/mount/blob-mount`}},
	// delete's verify scenario deletes its blob twice: the second DELETE, of
	// a blob no longer there, MUST answer 404 (a deviation otherwise), which
	// post cancel/blob-delete judges (a blob never pushed).
	{"delete", []string{`image/delete/manifest-delete`, `image/delete/blob-delete`, `sha256 blobs/post cancel/blob-delete`}},
	{"referrers", []string{`artifacts-with-subject/referrers`}},
	{"referrers-lookup", []string{`empty/referrers`}}, // the seed image has no referrers
	{"single-post-upload", []string{`sha256 blobs/post only/blob-post-only`}},
	{"upload-status", []string{`sha256 blobs/chunked out-of-order/blob-patch-chunked`}},
	{"pull", []string{`image/pull/(manifest-by-tag|blob-get)`}},
	// pull
	{"manifest-fidelity", []string{`(image|index)/pull/manifest-by-(digest|tag)`}},
	{"missing-content", []string{`missing-manifest/by-(digest|tag)`, `sha256 blobs/get-missing`}},
	{"blob-range", []string{`sha256 blobs/range requests/range .*`}},
	// push
	{"monolithic-upload", []string{`sha256 blobs/post\+put/blob-post-put`}},
	// "and put chunk" closes the session with the final chunk in the PUT (#22)
	{"chunked-out-of-order", []string{`sha256 blobs/chunked out-of-order( and put chunk)?/blob-patch-chunked`}},
	{"upload-cancel", []string{`sha256 blobs/post cancel/blob-post-cancel`}},
	{"digest-validation", []string{`sha256 blobs/bad digest (post\+put|chunked|stream)/.*`}},
	// sha512 blobs only: ocicaps' sha512-digests pushes no sha512 manifest
	{"sha512-digests", []string{`sha512 blobs/(post\+put|chunked single)/blob-(post-put|patch-chunked|head|get)`}},
	{"mount-without-from", []string{`sha256 blobs/mount anonymous/blob-mount-anonymous`}},
	{"mount-missing-blob", []string{`sha256 blobs/mount missing/blob-mount`}},
	{"manifest-push", []string{`image/push/manifest-by-(digest|tag)`}},
	{"oci-index", []string{`(index|nested-index)/push/manifest-by-(digest|tag)`}},
	{"artifact-manifest", []string{`artifact/push/manifest-by-(digest|tag)`}},
	{"subject-absent", []string{`missing-subject/push/manifest-by-(digest|tag)`}},
	{"oci-subject-header", []string{`artifacts-with-subject/push/manifest-by-(digest|tag)`}},
	{"large-manifest", []string{`large-manifest/push/manifest-by-(digest|tag)`}},
	// content discovery
	{"tag-list", []string{`empty/tag list`, `image/tag-list`}},
	{"referrers-filter", []string{`artifacts-with-subject/referrers`}},
	{"referrers-empty-list", []string{`empty/referrers`}},
	// content management
	{"delete-tag", []string{`image/delete/tag-delete`}},
	{"delete-manifest", []string{`image/delete/manifest-delete`}},
	// post cancel/blob-delete deletes a blob that was never pushed: 404 is due
	{"delete-blob", []string{`sha256 blobs/post\+put/blob-delete`, `sha256 blobs/post cancel/blob-delete`}},
}

// Verdicts, one vocabulary for both tools.
const (
	vPass        = "pass"        // works as the spec says
	vDeviates    = "deviates"    // ocicaps: works, with a deviation from a MUST
	vFail        = "fail"        // suite: a conformance failure
	vUnsupported = "unsupported" // ocicaps unsupported; suite skipped with the registry's "unsupported" answer
	vNotJudged   = ""            // not run, disabled, or the tool could not tell (error)
)

// agree reports whether an ocicaps verdict and a suite verdict say the same
// about a behaviour. The suite has no "works, but breaks a MUST": its FAIL
// covers both that and "does not work", so a deviation or an unsupported
// capability agrees with a FAIL; everything else must match exactly.
func agree(ocicaps, suite string) bool {
	switch {
	case ocicaps == suite:
		return true
	case suite == vFail && (ocicaps == vDeviates || ocicaps == vUnsupported):
		return true
	}
	return false
}

// suiteTest is one leaf test of the suite: its name (without suitePrefix),
// its junit status and its error text.
type suiteTest struct {
	Name    string
	Status  string // passed, failure, skipped, error
	Message string
}

// verdict is the suite test's verdict. The suite's junit.xml writes both
// skipped and disabled tests as "skipped"; a skip carries the registry's
// answer as its message ("registry returned status 202, fell back …"), a
// disabled test none.
func (t suiteTest) verdict() string {
	switch t.Status {
	case "passed":
		return vPass
	case "failure":
		return vFail
	case "skipped":
		if strings.TrimSpace(t.Message) != "" {
			return vUnsupported
		}
	}
	return vNotJudged
}

// parseSuiteJUnit reads the suite's junit.xml: one testsuite of leaf
// testcases, status in an attribute, errors in system-out.
func parseSuiteJUnit(r io.Reader) ([]suiteTest, error) {
	var doc struct {
		Suites []struct {
			Cases []struct {
				Name   string `xml:"name,attr"`
				Status string `xml:"status,attr"`
				Out    string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("suite junit.xml: %w", err)
	}
	var tests []suiteTest
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			tests = append(tests, suiteTest{
				Name:    strings.TrimPrefix(c.Name, suitePrefix),
				Status:  c.Status,
				Message: strings.TrimSpace(c.Out),
			})
		}
	}
	if len(tests) == 0 {
		return nil, fmt.Errorf("suite junit.xml: no testcases")
	}
	return tests, nil
}

// suiteJudgement is the suite's verdict on one capability: the worst of its
// matched tests (fail over unsupported over pass), and the tests that gave it.
type suiteJudgement struct {
	Verdict string
	Tests   []suiteTest // the tests that decided the verdict
	Matched int         // how many tests matched the mapping
}

func judgeSuite(tests []suiteTest, patterns []string) (suiteJudgement, error) {
	res := make([]*regexp.Regexp, len(patterns))
	for i, p := range patterns {
		re, err := regexp.Compile(`^(?:` + p + `)$`)
		if err != nil {
			return suiteJudgement{}, fmt.Errorf("mapping %q: %w", p, err)
		}
		res[i] = re
	}
	rank := map[string]int{vNotJudged: 0, vPass: 1, vUnsupported: 2, vFail: 3}
	var j suiteJudgement
	for _, t := range tests {
		matched := false
		for _, re := range res {
			if re.MatchString(t.Name) {
				matched = true
				break
			}
		}
		if !matched {
			continue
		}
		j.Matched++
		v := t.verdict()
		switch {
		case rank[v] > rank[j.Verdict]:
			j.Verdict, j.Tests = v, []suiteTest{t}
		case v == j.Verdict && v != vNotJudged:
			j.Tests = append(j.Tests, t)
		}
	}
	return j, nil
}

// ocicapsCapability is what the cross-check reads of a capability in
// ocicaps' results.json.
type ocicapsCapability struct {
	ID         string            `json:"id"`
	Status     string            `json:"status"`
	Reason     string            `json:"reason"`
	Deviations []json.RawMessage `json:"deviations"`
}

func (c ocicapsCapability) verdict() string {
	switch c.Status {
	case "supported":
		if len(c.Deviations) > 0 {
			return vDeviates
		}
		return vPass
	case "unsupported":
		return vUnsupported
	}
	return vNotJudged
}

// deviationTexts gives each deviation of the capability as "section: rule".
func (c ocicapsCapability) deviationTexts() []string {
	var out []string
	for _, raw := range c.Deviations {
		var d struct {
			Section string `json:"section"`
			Rule    string `json:"rule"`
		}
		if json.Unmarshal(raw, &d) == nil && d.Section != "" {
			out = append(out, strings.TrimSuffix(d.Section+": "+d.Rule, ": "))
		}
	}
	return out
}

// parseOcicapsResults reads the capabilities of the one registry in an
// ocicaps results.json.
func parseOcicapsResults(r io.Reader) (map[string]ocicapsCapability, error) {
	var doc struct {
		Registries []struct {
			Capabilities []ocicapsCapability `json:"capabilities"`
		} `json:"registries"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("ocicaps results.json: %w", err)
	}
	if len(doc.Registries) != 1 {
		return nil, fmt.Errorf("ocicaps results.json: %d registries, want 1", len(doc.Registries))
	}
	caps := map[string]ocicapsCapability{}
	for _, c := range doc.Registries[0].Capabilities {
		caps[c.ID] = c
	}
	return caps, nil
}

// comparison is one registry × capability judged by both tools.
type comparison struct {
	Registry   string
	Capability string
	Ocicaps    ocicapsCapability
	Suite      suiteJudgement
}

func (c comparison) Agree() bool { return agree(c.Ocicaps.verdict(), c.Suite.Verdict) }

// compare pairs the tools' verdicts on one registry, in mapping order, for
// every capability both judge.
func compare(registry string, caps map[string]ocicapsCapability, tests []suiteTest) ([]comparison, error) {
	var out []comparison
	for _, m := range mappings {
		c, ok := caps[m.Capability]
		if !ok || c.verdict() == vNotJudged {
			continue
		}
		j, err := judgeSuite(tests, m.Tests)
		if err != nil {
			return nil, err
		}
		if j.Verdict == vNotJudged {
			continue
		}
		out = append(out, comparison{Registry: registry, Capability: m.Capability, Ocicaps: c, Suite: j})
	}
	return out, nil
}

// registryResult is everything the report says about one registry.
type registryResult struct {
	Name         string
	SuiteWall    time.Duration
	OcicapsWall  time.Duration
	SuiteCPU     cpuUse
	OcicapsCPU   cpuUse
	Comparisons  []comparison
	SuiteTrace   trace
	OcicapsTrace trace
}

// trace is what a tool left on a registry.
type trace struct {
	Tags    []string // repo:tag still listed
	Uploads []string // open upload sessions (nil with UploadsUnknown)
	// UploadsUnknown: the registry keeps sessions in memory (crane).
	UploadsUnknown bool
	Files          map[string]int // storage area → files added (dir stores only)
	Note           string
}

func (t trace) String() string {
	var parts []string
	perRepo := map[string]int{}
	var repos []string
	for _, rt := range t.Tags {
		repo, _, _ := strings.Cut(rt, ":")
		if perRepo[repo] == 0 {
			repos = append(repos, repo)
		}
		perRepo[repo]++
	}
	for _, repo := range repos {
		parts = append(parts, fmt.Sprintf("%d tags in %s", perRepo[repo], repo))
	}
	if t.UploadsUnknown {
		parts = append(parts, "uploads not observable (in memory)")
	} else if len(t.Uploads) > 0 {
		parts = append(parts, fmt.Sprintf("%d open upload sessions", len(t.Uploads)))
	}
	if len(t.Files) > 0 {
		keys := make([]string, 0, len(t.Files))
		for k := range t.Files {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var fs []string
		for _, k := range keys {
			fs = append(fs, fmt.Sprintf("%s: %d", k, t.Files[k]))
		}
		parts = append(parts, "files added: "+strings.Join(fs, ", "))
	}
	if t.Note != "" {
		parts = append(parts, t.Note)
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, "; ")
}

// writeMarkdown writes the cross-check report: time per registry, how many
// behaviours both judge, every disagreement, and what each tool left.
// With all, every comparison is listed, not only the disagreements.
func writeMarkdown(w io.Writer, suiteVersion string, results []registryResult, all bool, cores int) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("## Cross-check: `ocicaps run --verify --check all` and the conformance suite\n\n")
	p("Suite: `github.com/opencontainers/distribution-spec/conformance@%s` (spec version 1.1, upload cancel enabled).\n\n", suiteVersion)
	p("### Time per registry\n\n")
	p("| registry | suite | ocicaps | ocicaps / suite | target ≤ 0.1 |\n| --- | --- | --- | --- | --- |\n")
	for _, r := range results {
		ratio := 0.0
		if r.SuiteWall > 0 {
			ratio = r.OcicapsWall.Seconds() / r.SuiteWall.Seconds()
		}
		met := "yes"
		if ratio > 0.1 {
			met = "**no**"
		}
		p("| %s | %s | %s | %.3f | %s |\n", r.Name, round(r.SuiteWall), round(r.OcicapsWall), ratio, met)
	}
	writeCPU(w, results, cores)
	p("\n### Behaviours both judge\n\n")
	p("| registry | judged by both | agree | disagree |\n| --- | --- | --- | --- |\n")
	var dis []comparison
	for _, r := range results {
		n := 0
		for _, c := range r.Comparisons {
			if !c.Agree() {
				n++
				dis = append(dis, c)
			}
		}
		p("| %s | %d | %d | %d |\n", r.Name, len(r.Comparisons), len(r.Comparisons)-n, n)
	}
	p("\n### Disagreements\n\n")
	if len(dis) == 0 {
		p("None.\n")
	} else {
		writeComparisons(w, dis)
	}
	if all {
		p("\n### Every comparison\n\n")
		var every []comparison
		for _, r := range results {
			every = append(every, r.Comparisons...)
		}
		writeComparisons(w, every)
	}
	p("\n### What each tool left on the registry\n\n")
	p("| registry | suite | ocicaps |\n| --- | --- | --- |\n")
	for _, r := range results {
		p("| %s | %s | %s |\n", r.Name, cell(r.SuiteTrace.String()), cell(r.OcicapsTrace.String()))
	}
}

func writeComparisons(w io.Writer, cs []comparison) {
	fmt.Fprintf(w, "| registry | capability | ocicaps | suite | suite tests |\n| --- | --- | --- | --- | --- |\n")
	for _, c := range cs {
		oc := c.Ocicaps.verdict()
		if secs := c.Ocicaps.deviationTexts(); len(secs) > 0 {
			oc += " (" + strings.Join(secs, "; ") + ")"
		}
		if c.Ocicaps.Reason != "" && c.Ocicaps.verdict() != vPass {
			oc += ": " + c.Ocicaps.Reason
		}
		var names []string
		for _, t := range c.Suite.Tests {
			s := "`" + t.Name + "`"
			if t.Message != "" && t.verdict() != vPass {
				s += ": " + t.Message
			}
			names = append(names, s)
			if len(names) == 2 && len(c.Suite.Tests) > 2 {
				names = append(names, fmt.Sprintf("and %d more", len(c.Suite.Tests)-2))
				break
			}
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", c.Registry, c.Capability, cell(oc), c.Suite.Verdict, cell(strings.Join(names, "; ")))
	}
}

// cell makes text safe for one Markdown table cell: one line, no pipes,
// at most 300 characters.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, "|", `\|`)
	if r := []rune(s); len(r) > 300 {
		s = string(r[:299]) + "…"
	}
	return s
}

// writeCPU writes where each tool's time went: its own CPU and the
// registry's while it ran, and the floor their sum puts under ocicaps'
// wall time on this machine's cores, as a share of the suite's wall time
// (the ratio no concurrency in ocicaps can go below).
func writeCPU(w io.Writer, results []registryResult, cores int) {
	p := func(format string, a ...any) { fmt.Fprintf(w, format, a...) }
	p("\n### Where the time goes (CPU, %d cores)\n\n", cores)
	p("| registry | ocicaps CPU | registry CPU under ocicaps | floor: their sum / cores | floor / suite wall | suite CPU | registry CPU under the suite |\n")
	p("| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range results {
		reg, regSuite, floor, share := "n/a", "n/a", "n/a", "n/a"
		if r.OcicapsCPU.Known {
			f := r.OcicapsCPU.Floor(cores)
			reg, floor = round(r.OcicapsCPU.Registry), round(f)
			if r.SuiteWall > 0 {
				share = fmt.Sprintf("%.3f", f.Seconds()/r.SuiteWall.Seconds())
			}
		}
		if r.SuiteCPU.Known {
			regSuite = round(r.SuiteCPU.Registry)
		}
		p("| %s | %s | %s | %s | %s | %s | %s |\n", r.Name, round(r.OcicapsCPU.Tool), reg, floor, share, round(r.SuiteCPU.Tool), regSuite)
	}
}

func round(d time.Duration) string {
	if d < 10*time.Second {
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

// readSuiteJUnit and readOcicapsResults open the files the tools wrote.
func readSuiteJUnit(path string) ([]suiteTest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading the suite's report: %w", err)
	}
	defer f.Close()
	return parseSuiteJUnit(f)
}

func readOcicapsResults(path string) (map[string]ocicapsCapability, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading ocicaps' results: %w", err)
	}
	defer f.Close()
	return parseOcicapsResults(f)
}
