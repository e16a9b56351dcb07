package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/internal/browser"
	"github.com/ocicaps/ocicaps/internal/zoo"
	htmlreport "github.com/ocicaps/ocicaps/report/html"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// hundredBudget is the size report.html must stay under with 100
// registries of the seed's five capabilities (docs/reports.md).
const hundredBudget = 2 << 20

// keepArtifacts copies a report folder to $OCICAPS_E2E_ARTIFACTS/name when
// that is set, so a person can look at what the browser saw.
func keepArtifacts(t *testing.T, dir, name string) {
	t.Helper()
	dest := os.Getenv("OCICAPS_E2E_ARTIFACTS")
	if dest == "" {
		return
	}
	if err := os.CopyFS(filepath.Join(dest, name), os.DirFS(dir)); err != nil {
		t.Logf("keeping artifacts: %v", err)
	}
}

func fileSizes(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, fmt.Sprintf("%s %d bytes", e.Name(), fi.Size()))
	}
	return strings.Join(parts, ", ")
}

type matrixRow struct {
	Registry string `json:"registry"`
	Severity string `json:"severity"`
	Score    string `json:"score"`
	SevText  string `json:"sevText"`
	Cells    []struct {
		ID   string `json:"id"`
		Word string `json:"word"`
		Text string `json:"text"`
	} `json:"cells"`
}

// readMatrix reads the matrix as the page shows it: the visible text of
// each cell, not the template's data.
const readMatrix = `[...document.querySelectorAll("table.matrix tbody tr")].map(tr => ({
	registry: tr.dataset.registry,
	severity: tr.dataset.severity,
	score: tr.querySelector("td.score").innerText.trim(),
	sevText: tr.querySelector("td:last-child").innerText.trim(),
	cells: [...tr.querySelectorAll("td.cell")].map(td => ({id: td.dataset.capability, word: td.querySelector(".word").innerText.trim(), text: td.innerText.trim()})),
}))`

var statusWord = map[results.Status]string{results.Supported: "supported", results.Unsupported: "unsupported", results.Error: "error"}

// TestHTMLReportInBrowser runs the suite over the zoo, opens report.html
// from disk in headless Chromium, and checks what a person would see
// against results.json: every cell's words, scores and severities; one
// evidence panel opened by a click, with its reason, exchanges and the
// feature file's remediation; the severity filter; a screenshot with
// something on it; and no request leaving the page.
func TestHTMLReportInBrowser(t *testing.T) {
	cfg := writeConfig(t, order, nil)
	r := runOcicaps(t, "--config", cfg, "--format", "pretty,junit,json,html,markdown,cucumber")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	defer keepArtifacts(t, r.out, "zoo")
	reportFile := filepath.Join(r.out, "report.html")
	page, err := os.ReadFile(reportFile)
	if err != nil {
		t.Fatal(err)
	}
	if refs := externalRefs(string(page)); len(refs) > 0 {
		t.Errorf("report.html refers outside itself: %v", refs)
	}

	ctx, p := openPage(t)
	url := "file://" + reportFile
	if err := p.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}

	// The matrix cells, as displayed, against results.json.
	var rows []matrixRow
	if err := p.Eval(ctx, readMatrix, &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(r.run.Registries) {
		t.Fatalf("%d rows in the page, %d registries in results.json", len(rows), len(r.run.Registries))
	}
	ids := r.run.CapabilityIDs()
	var headers []string
	if err := p.Eval(ctx, `[...document.querySelectorAll("table.matrix thead th.cap")].map(th => th.firstChild.textContent)`, &headers); err != nil {
		t.Fatal(err)
	}
	if strings.Join(headers, " ") != strings.Join(ids, " ") {
		t.Errorf("columns %v, want %v", headers, ids)
	}
	for i, reg := range r.run.Registries {
		row := rows[i]
		if row.Registry != reg.Name || row.Severity != string(reg.Severity) || row.Score != fmt.Sprintf("%d/%d", reg.Score, reg.MaxScore) ||
			!strings.HasPrefix(row.SevText, string(reg.Severity)) {
			t.Errorf("row %d = %+v, want %s %d/%d %s", i, row, reg.Name, reg.Score, reg.MaxScore, reg.Severity)
		}
		if len(row.Cells) != len(ids) {
			t.Errorf("%s: %d cells, want %d", reg.Name, len(row.Cells), len(ids))
			continue
		}
		for j, id := range ids {
			c, _ := reg.Capability(id)
			cell := row.Cells[j]
			if cell.ID != id || cell.Word != statusWord[c.Status] || !strings.Contains(cell.Text, statusWord[c.Status]) {
				t.Errorf("%s/%s: cell shows %q (%q), results.json says %s", reg.Name, id, cell.Word, cell.Text, c.Status)
			}
		}
	}

	// Open the evidence of an unsupported capability with a click.
	regName, capID := zoo.NameOlaregNoReferrers, "referrers"
	reg := registry(t, r.run, regName)
	c, _ := reg.Capability(capID)
	if c.Status != results.Unsupported {
		t.Fatalf("%s/%s is %s; the test expects unsupported", regName, capID, c.Status)
	}
	info, ok := r.run.Info(capID)
	if !ok || len(info.HowToFix) == 0 || len(info.CommonCauses) == 0 {
		t.Fatalf("results.json has no remediation for %s: %+v", capID, info)
	}
	cellSel := fmt.Sprintf(`tr[data-registry=%q] td[data-capability=%q] a`, regName, capID)
	if err := p.Click(ctx, cellSel); err != nil {
		t.Fatal(err)
	}
	var panel struct {
		Hash    string  `json:"hash"`
		Display string  `json:"display"`
		Width   float64 `json:"width"`
		Text    string  `json:"text"`
	}
	err = p.Eval(ctx, fmt.Sprintf(`(() => { const a = document.querySelector(%q); const p = document.getElementById(a.getAttribute("href").slice(1));
		return {hash: location.hash, display: getComputedStyle(p).display, width: p.getBoundingClientRect().width, text: p.innerText}; })()`, cellSel), &panel)
	if err != nil {
		t.Fatal(err)
	}
	if panel.Display == "none" || panel.Width < 300 {
		t.Errorf("the evidence panel did not open: %+v", panel)
	}
	want := []string{regName, "unsupported", c.Reason, "Common causes", info.CommonCauses[0], "How to fix", strings.Split(info.HowToFix[0], "\n")[0]}
	for _, e := range c.Exchanges {
		want = append(want, e.Method+" "+e.URL)
	}
	for _, w := range want {
		if !strings.Contains(panel.Text, w) {
			t.Errorf("the open panel lacks %q; it shows:\n%s", w, panel.Text)
		}
	}

	shot, err := p.Screenshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.out, "report.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	checkScreenshot(t, shot, 1400, 900)

	// The severity filter hides the rows at an unticked severity.
	if err := p.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
	if err := p.Click(ctx, `label:has(#show-warn)`); err != nil {
		t.Fatal(err)
	}
	var visible []string
	if err := p.Eval(ctx, `[...document.querySelectorAll("table.matrix tbody tr")].filter(tr => tr.getClientRects().length > 0).map(tr => tr.dataset.registry)`, &visible); err != nil {
		t.Fatal(err)
	}
	var notWarn []string
	for _, reg := range r.run.Registries {
		if reg.Severity != results.Warn {
			notWarn = append(notWarn, reg.Name)
		}
	}
	if strings.Join(visible, " ") != strings.Join(notWarn, " ") || len(visible) == len(r.run.Registries) {
		t.Errorf("with warn unticked the rows shown are %v, want %v", visible, notWarn)
	}

	checkRequests(t, p, url)
	if msgs := p.Console(); len(msgs) > 0 {
		t.Errorf("console messages or exceptions: %v", msgs)
	}
	t.Logf("zoo run files: %s", fileSizes(t, r.out))
}

// checkScreenshot makes sure the picture is a page, not an empty canvas:
// the window's size, many colours, and a good share of non-white pixels.
func checkScreenshot(t *testing.T, shot []byte, w, h int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	bounds := img.Bounds()
	if bounds.Dx() != w || bounds.Dy() != h {
		t.Errorf("screenshot is %dx%d, want %dx%d", bounds.Dx(), bounds.Dy(), w, h)
	}
	colours := map[[3]uint32]bool{}
	nonWhite := 0
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, b >> 8}] = true
			if r>>8 < 240 || g>>8 < 240 || b>>8 < 240 {
				nonWhite++
			}
		}
	}
	share := float64(nonWhite) / float64(bounds.Dx()*bounds.Dy()/4)
	if len(colours) < 50 || share < 0.05 {
		t.Errorf("the screenshot looks empty: %d colours, %.1f%% non-white pixels", len(colours), 100*share)
	}
	t.Logf("screenshot %dx%d: %d colours, %.1f%% non-white", bounds.Dx(), bounds.Dy(), len(colours), 100*share)
}

// checkRequests: the only request the page made is the file itself.
func checkRequests(t *testing.T, p *browser.Page, url string) {
	t.Helper()
	reqs := p.Requests()
	if len(reqs) == 0 {
		t.Error("no request seen at all, not even the document: the recorder is not working")
	}
	for _, u := range reqs {
		if u != url {
			t.Errorf("the page requested %s", u)
		}
	}
}

// externalRefs lists what in page could make the browser send a request;
// the report's own tests have the same check with a guard test.
func externalRefs(page string) []string {
	var out []string
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "<object", "<embed", "<source", "<base", "@import", "url(", "<form"} {
		if strings.Contains(lower, bad) {
			out = append(out, bad)
		}
	}
	attr := regexp.MustCompile(`(?i)\s(src|href|action|formaction|srcset|poster|data|background|ping)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)`)
	for _, m := range attr.FindAllStringSubmatch(page, -1) {
		if v := strings.Trim(m[2], `"'`); strings.ToLower(m[1]) != "href" || !strings.HasPrefix(v, "#") {
			out = append(out, m[1]+"="+m[2])
		}
	}
	return out
}

// TestHundredRegistriesInBrowser: the zoo's real results, scaled to 100
// registries, make a report under the stated size that Chromium renders
// with all 100 rows, a header that stays in view while the matrix scrolls,
// and no request.
func TestHundredRegistriesInBrowser(t *testing.T) {
	cfg := writeConfig(t, order, nil)
	r := runOcicaps(t, "--config", cfg, "--format", "quiet,json")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	run := resultstest.Scale(r.run, 100)
	file := filepath.Join(t.TempDir(), "report.html")
	start := time.Now()
	if err := htmlreport.Write(file, run); err != nil {
		t.Fatal(err)
	}
	wrote := time.Since(start)
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > hundredBudget {
		t.Errorf("report.html for 100 registries is %d bytes, over the stated %d", fi.Size(), hundredBudget)
	}

	ctx, p := openPage(t)
	url := "file://" + file
	start = time.Now()
	if err := p.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
	loaded := time.Since(start)
	var rows int
	if err := p.Eval(ctx, `document.querySelectorAll("table.matrix tbody tr").length`, &rows); err != nil || rows != 100 {
		t.Errorf("%d rows rendered (%v), want 100", rows, err)
	}
	// Scroll the matrix to its end: the header row must still be at the
	// top of the scrolling box.
	var sticky struct{ Box, Head, Scrolled float64 }
	err = p.Eval(ctx, `(() => { const s = document.querySelector(".scroll"); s.scrollTop = s.scrollHeight;
		return {Box: s.getBoundingClientRect().top, Head: document.querySelector("table.matrix thead th").getBoundingClientRect().top, Scrolled: s.scrollTop}; })()`, &sticky)
	if err != nil {
		t.Fatal(err)
	}
	if sticky.Scrolled < 1000 || sticky.Head < sticky.Box-1 || sticky.Head > sticky.Box+2 {
		t.Errorf("header not sticky: %+v", sticky)
	}
	checkRequests(t, p, url)
	t.Logf("report.html for 100 registries: %d bytes, written in %v, loaded by Chromium in %v", fi.Size(), wrote, loaded)
}

type consumerCounts struct {
	Tests    int `json:"tests"`
	Failures int `json:"failures"`
	Errors   int `json:"errors"`
	Skipped  int `json:"skipped"`
}

// TestJUnitConsumers reads junit.xml with JUnit tools from the npm registry
// and checks that they count what results.json says: once for the default
// run over the zoo, and once with a refused registry and --fail-on warn so
// that every kind of testcase is there.
func TestJUnitConsumers(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is missing: run ./scripts/install-test-deps.sh (Debian packages nodejs and npm)")
	}
	tool := filepath.Join(root, "tools", "junit-consumer")
	if _, err := os.Stat(filepath.Join(tool, "node_modules", "junit-to-ctrf")); err != nil {
		t.Fatalf("the JUnit consumers are not installed in %s: run ./scripts/install-test-deps.sh (npm ci)", tool)
	}
	dead := fmt.Sprintf("http://127.0.0.1:%d", closedPort(t))
	cases := []struct {
		name  string
		extra map[string]string
		args  []string
		code  int
	}{
		{"zoo", nil, nil, 0},
		{"zoo, refused, fail on warn", map[string]string{"refuses": dead}, []string{"--fail-on", "warn"}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := writeConfig(t, order, tc.extra)
			r := runOcicaps(t, append([]string{"--config", cfg, "--format", "quiet,junit,json"}, tc.args...)...)
			if r.code != tc.code || r.run == nil {
				t.Fatalf("exit %d, want %d\n%s", r.code, tc.code, r.stderr)
			}
			junitFile := filepath.Join(r.out, "junit.xml")
			validateJUnit(t, junitFile)

			var ours consumerCounts
			var names []string
			passed := 0
			for _, reg := range r.run.Registries {
				for _, c := range reg.Capabilities {
					ours.Tests++
					names = append(names, reg.Name+"/ocicaps."+reg.Name+"/"+c.ID+" ["+reg.Name+"]")
					switch {
					case c.Status == results.Supported:
						passed++
					case c.Status == results.Unsupported && c.EffectiveSeverity().FailsAt(r.run.FailOn):
						ours.Failures++
					case c.Status == results.Unsupported:
						ours.Skipped++
					default:
						ours.Errors++
					}
				}
			}
			if tc.code == 1 && (ours.Failures == 0 || ours.Errors == 0 || ours.Skipped == 0) {
				t.Fatalf("the run should have every kind of testcase: %+v", ours)
			}

			cmd := exec.Command(node, filepath.Join(tool, "count.mjs"), junitFile)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("count.mjs: %v\n%s", err, stderr.String())
			}
			var got struct {
				CTRF struct {
					consumerCounts
					Names   []string `json:"names"`
					Summary struct {
						Tests, Passed, Failed, Skipped int
					} `json:"ctrf"`
				} `json:"junit-to-ctrf"`
				Merger consumerCounts `json:"junit-report-merger"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("count.mjs output: %v\n%s", err, out)
			}
			if got.CTRF.consumerCounts != ours {
				t.Errorf("junit-to-ctrf counted %+v, ours %+v", got.CTRF.consumerCounts, ours)
			}
			if got.Merger != ours {
				t.Errorf("junit-report-merger counted %+v, ours %+v", got.Merger, ours)
			}
			s := got.CTRF.Summary
			if s.Tests != ours.Tests || s.Passed != passed || s.Failed != ours.Failures+ours.Errors || s.Skipped != ours.Skipped {
				t.Errorf("CTRF summary %+v; ours: %d tests, %d passed, %d failed (failures + errors), %d skipped",
					s, ours.Tests, passed, ours.Failures+ours.Errors, ours.Skipped)
			}
			if strings.Join(got.CTRF.Names, "\n") != strings.Join(names, "\n") {
				t.Errorf("testcase names as the consumer read them:\n%v\nours:\n%v", got.CTRF.Names, names)
			}
			t.Logf("ours: %+v (passed %d); junit-to-ctrf: %+v, CTRF summary %+v; junit-report-merger: %+v",
				ours, passed, got.CTRF.consumerCounts, s, got.Merger)
		})
	}
}

// openPage launches headless Chromium for the test and opens a blank tab;
// both are closed when the test ends.
func openPage(t *testing.T) (context.Context, *browser.Page) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	b, err := browser.Launch(ctx, t.TempDir(), 1400, 900)
	if err != nil {
		t.Fatalf("%v", err)
	}
	t.Cleanup(func() { b.Close() })
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return ctx, p
}
