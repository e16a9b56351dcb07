package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	htmlreport "github.com/ocicaps/ocicaps/report/html"
	"github.com/ocicaps/ocicaps/results"
)

// TestFleetReportInBrowser: a real run of more than InlineLimit registries
// (the zoo's five, each listed 21 times) keeps each registry's evidence on
// disk while it runs and writes it all back: results.json has every
// exchange, and each entry's verdicts are its zoo registry's in a direct
// run. report.html is the fleet's page: every registry a row, worst
// severity first, no evidence panel; a row's link opens the registry's
// page, whose cell opens the panel with that capability's exchanges, and
// Chromium requests nothing but the two files.
func TestFleetReportInBrowser(t *testing.T) {
	direct := runOcicaps(t, "--config", writeConfig(t, order, nil), "--format", "quiet,json")
	if direct.run == nil {
		t.Fatalf("direct run: exit %d\n%s", direct.code, direct.stderr)
	}
	copies := htmlreport.InlineLimit/len(order) + 1
	var b strings.Builder
	b.WriteString("registries:\n")
	zooOf := map[string]string{}
	for i := range copies {
		for _, n := range order {
			name := fmt.Sprintf("%s-%02d", n, i)
			zooOf[name] = n
			// Its own mount repository, so that entries of one zoo registry
			// never delete each other's mounted blob.
			fmt.Fprintf(&b, "  - name: %s\n    url: %s\n    mountRepository: ocicaps/mount-probe-%s\n", name, instances[n].URL, name)
		}
	}
	cfg := filepath.Join(t.TempDir(), "fleet.yaml")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runOcicaps(t, "--config", cfg, "--format", "quiet,json,html")
	if r.run == nil || r.code != direct.code {
		t.Fatalf("fleet run: exit %d (direct %d)\n%s", r.code, direct.code, r.stderr)
	}
	if len(r.run.Registries) != copies*len(order) {
		t.Fatalf("%d registries in results.json, want %d", len(r.run.Registries), copies*len(order))
	}
	for _, reg := range r.run.Registries {
		want := registry(t, direct.run, zooOf[reg.Name])
		for _, c := range reg.Capabilities {
			wc, _ := want.Capability(c.ID)
			if c.Status != wc.Status {
				t.Errorf("%s %s: %s, directly %s", reg.Name, c.ID, c.Status, wc.Status)
			}
			if len(c.Exchanges) == 0 {
				t.Errorf("%s %s: no exchange in results.json", reg.Name, c.ID)
			}
		}
	}

	file := filepath.Join(r.out, "report.html")
	ctx, p := openPage(t)
	url := "file://" + file
	if err := p.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
	var rows []struct{ Severity, Href, Name string }
	err := p.Eval(ctx, `[...document.querySelectorAll("table.matrix tbody tr")].map(tr => ({Severity: tr.className.replace("row-", ""),
		Href: tr.querySelector("th a").getAttribute("href"), Name: tr.querySelector("th a").textContent}))`, &rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(r.run.Registries) {
		t.Fatalf("%d rows rendered, want %d", len(rows), len(r.run.Registries))
	}
	var panels int
	if err := p.Eval(ctx, `document.querySelectorAll("section.panel").length`, &panels); err != nil || panels != 0 {
		t.Errorf("%d evidence panels in a fleet's page (%v)", panels, err)
	}
	for i := 1; i < len(rows); i++ {
		if results.Severity(rows[i].Severity).Rank() > results.Severity(rows[i-1].Severity).Rank() {
			t.Errorf("row %d (%s, %s) after row %d (%s): not worst first", i, rows[i].Name, rows[i].Severity, i-1, rows[i-1].Severity)
		}
	}
	first := registry(t, r.run, rows[0].Name)
	c := first.Capabilities[0]
	page := "file://" + filepath.Join(r.out, filepath.FromSlash(rows[0].Href))
	if err := p.Navigate(ctx, page); err != nil {
		t.Fatal(err)
	}
	cellSel := fmt.Sprintf(`tr[data-registry=%q] td[data-capability=%q] a`, first.Name, c.ID)
	if err := p.Click(ctx, cellSel); err != nil {
		t.Fatal(err)
	}
	var panel struct {
		Display string `json:"display"`
		Rows    int    `json:"rows"`
		Text    string `json:"text"`
	}
	err = p.Eval(ctx, fmt.Sprintf(`(() => { const a = document.querySelector(%q); const p = document.getElementById(a.getAttribute("href").slice(1));
		return {display: getComputedStyle(p).display, rows: p.querySelectorAll("table.exchanges tbody tr").length, text: p.innerText}; })()`, cellSel), &panel)
	if err != nil {
		t.Fatal(err)
	}
	if panel.Display == "none" || panel.Rows != len(c.Exchanges) || !strings.Contains(panel.Text, c.Exchanges[0].URL) {
		t.Errorf("%s %s: panel %s with %d exchanges, results.json has %d", first.Name, c.ID, panel.Display, panel.Rows, len(c.Exchanges))
	}
	for _, u := range p.Requests() {
		if u != url && u != page {
			t.Errorf("the pages requested %s", u)
		}
	}
}
