package html

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

func render(t *testing.T, run *results.Run) string {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, run); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestSample(t *testing.T) {
	page := render(t, resultstest.Sample())
	for _, want := range []string{
		"<title>ocicaps report: 3 registries, 2026-11-27 09:30:00 UTC</title>",
		"<dt>ocicaps version</dt><dd>v0.2.0</dd>",
		"<dt>Suite</dt><dd>embedded</dd>",
		"<dt>Config file</dt><dd>registries.yaml</dd>",
		// A cell: words, a mark, a link to its evidence, and the trend.
		`<td class="cell st-unsupported" data-capability="referrers" data-status="unsupported"><a href="#ev-0-1" title="evidence: referrers"><span class="mark" aria-hidden="true">✗</span><span class="word">unsupported</span><span class="chg chg-lost">lost since baseline</span></a></td>`,
		`<span class="word">supported</span>`,
		`<span class="word">error</span>`,
		`<tr class="row-warn" data-registry="zoo-distribution" data-severity="warn">`,
		`<td class="score">4/5</td>`,
		`<span class="fails">fails the run</span>`,
		// The evidence panel, with remediation from the capability info.
		`<section class="panel" id="ev-0-1" role="dialog"`,
		"<li>Cause one of referrers.</li>",
		"<li>Fix referrers:\ncurl -sv https://registry.example.com/v2/</li>",
		`<td class="mono">GET http://127.0.0.1:5001/v2/library/alpine/referrers</td>`,
		"Authorization: REDACTED\nUser-Agent: ocicaps/v0.2.0\n",
		"<td>3</td>\n<td>1500 ms</td>",
		// Trend, missing capabilities, leftovers.
		"<strong>1 capability lost</strong>, 0 gained, 1 registry added, 1 removed.",
		"5/5 → 4/5", "pass → warn",
		`<div class="fix" id="fix-referrers">`,
		`Unsupported on 1 registry: <a href="#ev-0-1">zoo-distribution</a>`,
		"<td>DELETE answered 405</td>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Only unsupported capabilities carry remediation in their panel.
	if n := strings.Count(page, "<h3>Remediation</h3>"); n != 1 {
		t.Errorf("%d remediation blocks in panels, want 1 (one unsupported cell)", n)
	}
	// Every cell's link has exactly one panel.
	for _, m := range regexp.MustCompile(`href="#(ev-[0-9]+-[0-9]+)"`).FindAllStringSubmatch(page, -1) {
		if strings.Count(page, `id="`+m[1]+`"`) != 1 {
			t.Errorf("anchor %s has %d targets", m[1], strings.Count(page, `id="`+m[1]+`"`))
		}
	}
	if n := strings.Count(page, `class="panel"`); n != 15 {
		t.Errorf("%d panels, want 15 (3 registries × 5 capabilities)", n)
	}
}

// No request may leave the page: no scripts, no external styles, fonts or
// images, and every link points inside the file.
func TestSelfContained(t *testing.T) {
	page := render(t, resultstest.Sample())
	checkSelfContained(t, page)
}

func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	for _, p := range externalRefs(page) {
		t.Error(p)
	}
}

// externalRefs lists what in page could make the browser send a request.
func externalRefs(page string) []string {
	var out []string
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "<object", "<embed", "<video", "<audio", "<source", "<base", "@import", "url(", "<form", "http-equiv"} {
		if strings.Contains(lower, bad) {
			out = append(out, "page contains "+bad)
		}
	}
	attr := regexp.MustCompile(`(?i)\s(src|href|action|formaction|srcset|poster|data|background|xlink:href|ping)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	for _, m := range attr.FindAllStringSubmatch(page, -1) {
		v := strings.Trim(m[2], `"'`)
		if strings.ToLower(m[1]) != "href" || !strings.HasPrefix(v, "#") {
			out = append(out, "reference out of the page: "+m[1]+"="+m[2])
		}
	}
	return out
}

// The check above must be able to fail.
func TestExternalRefsCatches(t *testing.T) {
	for _, bad := range []string{
		`<img src="x.png">`, `<a href="https://example.com/">`, `<a HREF=report2.html>`,
		`<style>body{background:url(x.png)}</style>`, `<p style="x" srcset='a.png 1x'>`,
	} {
		if len(externalRefs(bad)) == 0 {
			t.Errorf("not caught: %s", bad)
		}
	}
	if refs := externalRefs(`<a href="#ev-1-2">x</a>`); len(refs) != 0 {
		t.Errorf("internal link flagged: %v", refs)
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	page := render(t, resultstest.Sample())
	for _, bad := range []string{"<script>alert", "<b>", "\x1b", "\x00", "\x07", "\xff"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if !strings.Contains(page, "refuses &lt;b&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;q&#34; &#39;a&#39;") {
		t.Errorf("escaped name not found")
	}
}

// A results.json of schema 1.0 has no capability descriptions; the page
// still names the capability and says where remediation would come from.
// Capabilities not run on a registry, and unknown statuses, are shown as such.
func TestOldRunNotRunAndUnknownStatus(t *testing.T) {
	a := results.Registry{Name: "a", Capabilities: []results.Capability{
		{ID: "x", Name: "Ex", Status: results.Unsupported, SeverityWhenMissing: results.Warn, Source: "x.feature:3"},
		{ID: "y", Status: "weird"},
	}}
	b := results.Registry{Name: "b", Capabilities: []results.Capability{{ID: "y", Status: results.Supported}}}
	results.Summarize(&a)
	results.Summarize(&b)
	page := render(t, &results.Run{Registries: []results.Registry{a, b}, Incomplete: true})
	for _, want := range []string{
		`<th scope="col" class="cap" title="Ex">x<small>missing: warn</small></th>`,
		`The feature file x.feature:3 gives no remediation`,
		`<td class="cell st-notrun" data-capability="x" data-status=""><span class="mark" aria-hidden="true">–</span><span class="word">not run</span></td>`,
		`<td class="cell st-error" data-capability="y" data-status="weird">`,
		`error (status &#34;weird&#34;)`,
		`Run incomplete`,
		"<dt>ocicaps version</dt><dd>(unknown)</dd>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	empty := render(t, &results.Run{})
	if !strings.Contains(empty, "No registries in this run.") {
		t.Error("empty run")
	}
	checkSelfContained(t, empty)
}

// SizeLimit100 is the stated bound for report.html with 100 registries of
// the seed's five capabilities (docs/reports.md).
const SizeLimit100 = 2 << 20

func TestHundredRegistries(t *testing.T) {
	run := resultstest.Scale(resultstest.Sample(), 100)
	start := time.Now()
	page := render(t, run)
	took := time.Since(start)
	if len(page) > SizeLimit100 {
		t.Errorf("100 registries: %d bytes, over the stated %d", len(page), SizeLimit100)
	}
	if n := strings.Count(page, `<tr class="row-`); n != 100 {
		t.Errorf("%d matrix rows, want 100", n)
	}
	checkSelfContained(t, page)
	t.Logf("report.html for 100 registries: %d bytes, rendered in %v", len(page), took)
}

func TestWrite(t *testing.T) {
	p := filepath.Join(t.TempDir(), "report.html")
	if err := Write(p, resultstest.Sample()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	if err != nil || string(data) != render(t, resultstest.Sample()) {
		t.Errorf("file differs from Encode: %v", err)
	}
	if err := Write(p, nil); err == nil {
		t.Error("nil run: no error")
	}
	if err := Encode(&bytes.Buffer{}, nil); err == nil {
		t.Error("Encode(nil): no error")
	}
	if err := Write(filepath.Join(t.TempDir(), "no", "report.html"), resultstest.Sample()); err == nil || !strings.Contains(err.Error(), "html") {
		t.Errorf("missing folder: %v", err)
	}
}

// Verify mode shows both verdicts and the mismatch sentence.
func TestVerifyModeShown(t *testing.T) {
	run := &results.Run{SchemaVersion: results.SchemaVersion, Registries: []results.Registry{{
		Name: "r", Score: 0, MaxScore: 1, Severity: results.Info, Mode: "verify",
		Capabilities: []results.Capability{{
			ID: "delete", Status: results.Unsupported, Probe: results.Supported, Verified: results.Unsupported,
			Mismatch: true, Explanation: "Asked, the registry says supported (OPTIONS lists DELETE), but doing it is unsupported (DELETE answered 405).",
		}},
	}}}
	var b strings.Builder
	if err := Encode(&b, run); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"(asked: supported)", "Asked (probe)", "Done (verified)", "but doing it is unsupported (DELETE answered 405)."} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// A deviation is counted in its cell, described in its panel with its
// exchange's number, and listed with every other; hostile text in it is
// escaped.
func TestDeviationsShown(t *testing.T) {
	run := resultstest.Sample()
	c := &run.Registries[0].Capabilities[2]
	c.Deviations = append(c.Deviations, results.Deviation{Section: "S <i>", Rule: resultstest.Nasty, Evidence: results.Evidence{Exchange: -1}})
	page := render(t, run)
	for _, want := range []string{
		`<span class="deviates"> (2 deviations)</span>`,
		`<h2 id="deviations-h">Deviations from the spec</h2>`,
		`→ 201 Created (exchange 2) · scenario “A blob uploaded in two chunks reads back the same”</dd>`,
		`<td>S &lt;i&gt;</td>`,
		`no request</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>alert", "<i>", "\x1b"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
}
