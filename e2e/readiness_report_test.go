package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/safetext"
	"github.com/ocicaps/ocicaps/report/ctrf"
	htmlreport "github.com/ocicaps/ocicaps/report/html"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// readReadiness reads the readiness tables as the page shows them: the
// visible text of each row, whether it is shaded, and whether its folded
// evidence is visible.
const readReadiness = `[...document.querySelectorAll("section.readiness")].map(s => ({
	registry: s.dataset.registry,
	rows: [...s.querySelectorAll("tbody > tr")].map(tr => ({
		client: tr.cells[0].innerText.trim(), workflow: tr.cells[1].innerText.trim(),
		outcome: tr.cells[2].innerText.trim(), basis: tr.cells[3].innerText.trim(), todo: tr.cells[4].innerText.trim(),
		shade: getComputedStyle(tr).backgroundColor,
		evidenceShown: tr.querySelector("details").open,
	})),
}))`

type readinessTable struct {
	Registry string
	Rows     []struct {
		Client, Workflow, Outcome, Basis, Todo, Shade string
		EvidenceShown                                 bool
	}
}

// TestReadinessInBrowser opens the report.html of a run with client
// readiness (every outcome, confirmed and predicted, a mismatch, egress,
// unsafe workflows) in headless Chromium and checks what a person sees
// against the model: one table per registry with clients, each row's
// words; unsafe rows and the mismatch shaded, the others not; the
// evidence folded until its summary is clicked, then the client's command
// line visible; and no request leaving the page. (The zoo run with real
// clients is the workflows' e2e test; this one checks the page.)
func TestReadinessInBrowser(t *testing.T) {
	run := resultstest.WithClients()
	file := filepath.Join(t.TempDir(), "report.html")
	if err := htmlreport.Write(file, run); err != nil {
		t.Fatal(err)
	}
	ctx, p := openPage(t)
	url := "file://" + file
	if err := p.Navigate(ctx, url); err != nil {
		t.Fatal(err)
	}
	var tables []readinessTable
	if err := p.Eval(ctx, readReadiness, &tables); err != nil {
		t.Fatal(err)
	}
	if len(tables) != len(run.Registries) {
		t.Fatalf("%d readiness tables, %d registries with clients", len(tables), len(run.Registries))
	}
	plain := tables[2].Rows[0].Shade
	for i, reg := range run.Registries {
		tab := tables[i]
		// The page shows control characters and invalid UTF-8 as U+FFFD.
		if name := strings.ToValidUTF8(reg.Name, "\uFFFD"); !strings.HasPrefix(tab.Registry, name[:min(len(name), 20)]) || len(tab.Rows) != len(reg.Clients) {
			t.Errorf("table %d: %q with %d rows, want %q with %d", i, tab.Registry, len(tab.Rows), reg.Name, len(reg.Clients))
			continue
		}
		for j, w := range reg.Clients {
			row := tab.Rows[j]
			outcome := string(w.Outcome)
			if w.Outcome == results.Unsafe {
				outcome = "UNSAFE"
			}
			if row.Client != w.Client || row.Workflow != w.Workflow || row.Outcome != outcome ||
				!strings.HasPrefix(row.Basis, basis(w)) {
				t.Errorf("%s row %d = %+v, want %s %s %s", reg.Name, j, row, w.Client, w.Workflow, outcome)
			}
			if w.Mismatch && !strings.Contains(row.Basis, "MISMATCH: predicted "+string(w.Predicted)) {
				t.Errorf("%s %s %s: mismatch not shown: %q", reg.Name, w.Client, w.Workflow, row.Basis)
			}
			attention := w.Outcome == results.Unsafe || w.Mismatch
			if shaded := row.Shade != plain; shaded != attention {
				t.Errorf("%s %s %s: shaded %v (%s), want %v", reg.Name, w.Client, w.Workflow, shaded, row.Shade, attention)
			}
			if row.EvidenceShown {
				t.Errorf("%s %s %s: evidence open before a click", reg.Name, w.Client, w.Workflow)
			}
		}
	}
	if todo := tables[0].Rows[1].Todo; todo != "use oras attach --distribution-spec v1.1-referrers-tag" {
		t.Errorf("what to do reads %q", todo)
	}
	// The command line is hidden until the evidence is opened.
	const cmd = `[...document.querySelectorAll("section#clients-0 tr[data-workflow=attach] ol.evidence > li")].filter(li => li.checkVisibility()).map(li => li.innerText)`
	var shown []string
	if err := p.Eval(ctx, cmd, &shown); err != nil {
		t.Fatal(err)
	}
	if len(shown) != 0 {
		t.Errorf("evidence visible before a click: %v", shown)
	}
	if err := p.Click(ctx, `section#clients-0 tr[data-workflow=attach] details > summary`); err != nil {
		t.Fatal(err)
	}
	if err := p.Eval(ctx, cmd, &shown); err != nil {
		t.Fatal(err)
	}
	if len(shown) != 3 || !strings.HasPrefix(shown[0], "$ oras attach --plain-http") || !strings.Contains(shown[1], "/referrers/sha256:") {
		t.Errorf("evidence after a click: %q", shown)
	}
	checkRequests(t, p, url)
}

// basis is what docs/reports.md says the basis column reads.
func basis(w results.ClientWorkflow) string {
	switch {
	case w.Confirmed:
		return "confirmed"
	case w.Predicted != w.Outcome:
		return "not confirmed; predicted " + string(w.Predicted)
	}
	return "predicted"
}

// TestCTRFWithClients validates the ctrf.json of a run with client
// readiness with the pinned CTRF reference implementation and reads it
// with the CTRF GitHub test reporter: the client workflows' tests are
// there, named as junit.xml's testcases, with the status docs/reports.md
// gives each outcome (worked out here from the model).
func TestCTRFWithClients(t *testing.T) {
	run := resultstest.WithClients()
	file := filepath.Join(t.TempDir(), "ctrf.json")
	if err := ctrf.Write(file, run); err != nil {
		t.Fatal(err)
	}
	got := checkCTRF(t, file)
	if !got.CTRF.Valid || len(got.CTRF.Errors) > 0 {
		t.Errorf("ctrf does not validate ctrf.json: %v", got.CTRF.Errors)
	}
	want := map[string]string{}
	for _, reg := range run.Registries {
		for _, w := range reg.Clients {
			// Names are on one line (safetext.Line), as for capabilities.
			name := safetext.Line(w.Client + " " + w.Workflow + " [" + reg.Name + "]")
			switch {
			case w.Outcome == results.Unknown && len(w.Evidence) > 0, w.Confirmed && (w.Outcome == results.Unsafe || w.Mismatch):
				want[name] = "failed"
			case !w.Confirmed, w.Outcome == results.Fails:
				want[name] = "skipped"
			default:
				want[name] = "passed"
			}
		}
	}
	seen := 0
	for _, tc := range got.Reporter.Tests {
		if strings.HasPrefix(tc.Name, "oras push [refuses") {
			// github-actions-ctrf reads tests back from its own Markdown
			// table, so the "|" in this hostile name splits name and
			// status there (capability tests of that registry too); the
			// file itself validates.
			seen++
			continue
		}
		if st, ok := want[tc.Name]; ok {
			seen++
			if tc.Status != st {
				t.Errorf("%s shown as %s, want %s", tc.Name, tc.Status, st)
			}
		}
	}
	if seen != len(want) || len(want) != 14 {
		t.Errorf("the reporter shows %d of the %d client workflows", seen, len(want))
	}
}
