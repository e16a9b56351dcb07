package html

import (
	_ "embed"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/ocicaps/ocicaps/report/internal/readinesstext"
	"github.com/ocicaps/ocicaps/results"
)

// Client readiness (ocicaps run --clients) on the page: one table per
// registry with clients, each workflow's evidence folded under it. Kept in
// its own template file (clients.html.tmpl: the blocks "clients" and
// "clients-style") so that the page's layout can move it whole.

//go:embed clients.html.tmpl
var clientsSource string

func init() { template.Must(page.Parse(clientsSource)) }

// clientsView is the readiness of one registry.
type clientsView struct {
	Registry, Anchor, Counts string
	Rows                     []clientRow
}

// clientRow is one workflow. Todo holds markup: every string in it went
// through template.HTMLEscapeString (todoHTML).
type clientRow struct {
	Client, Workflow, Outcome, Basis, Mismatch string
	// Class is the outcome's CSS class; Attention marks an unsafe
	// outcome or a mismatch, which must stand out.
	Class                                          string
	Attention                                      bool
	Todo                                           template.HTML
	Reason, Via, Version, Source, Duration, Egress string
	// Steps names the evidence in the folded cell's summary: "1 client
	// run, 2 requests", or "why" for a prediction alone.
	Steps     string
	Exchanges []exchange
}

// clientsViews are the readiness tables of run, registries in run order;
// none when no registry has clients.
func clientsViews(run *results.Run) []clientsView {
	var out []clientsView
	for ri, reg := range run.Registries {
		out = append(out, registryClients(ri, reg)...)
	}
	return out
}

// registryClients is the readiness table of the registry at index ri in
// its run, none when it has no clients: a small run's page holds every
// registry's, a fleet's registry page its own (fleet.go).
func registryClients(ri int, reg results.Registry) []clientsView {
	if len(reg.Clients) == 0 {
		return nil
	}
	v := clientsView{Registry: clean(reg.Name), Anchor: "clients-" + strconv.Itoa(ri), Counts: readinesstext.Counts(reg.Clients)}
	for _, w := range reg.Clients {
		v.Rows = append(v.Rows, clientRowView(w))
	}
	return []clientsView{v}
}

func clientRowView(w results.ClientWorkflow) clientRow {
	r := clientRow{
		Client: clean(w.Client), Workflow: clean(w.Workflow), Outcome: clean(string(w.Outcome)),
		Class: "oc-" + outcomeClass(w.Outcome), Attention: readinesstext.Attention(w),
		Basis: readinesstext.Basis(w, clean), Mismatch: readinesstext.Mismatch(w, clean),
		Todo:   todoHTML(w),
		Reason: clean(w.Reason), Via: clean(strings.Join(w.Via, ", ")), Version: clean(w.Version),
		Source: clean(w.Source), Duration: strconv.FormatInt(w.DurationMS, 10),
		Egress: readinesstext.Egress(w, clean),
	}
	if w.Outcome == results.Unsafe {
		r.Outcome = "UNSAFE"
	}
	runs := 0
	for i, e := range w.Evidence {
		r.Exchanges = append(r.Exchanges, exchangeView(i+1, e))
		if e.Command != nil {
			runs++
		}
	}
	r.Steps = steps(runs, len(w.Evidence)-runs)
	return r
}

// steps is "1 client run, 2 requests"; "why" when there is no evidence.
func steps(runs, requests int) string {
	var parts []string
	if runs > 0 {
		parts = append(parts, fmt.Sprintf("%d client run%s", runs, results.Plural(runs, "", "s")))
	}
	if requests > 0 {
		parts = append(parts, fmt.Sprintf("%d request%s", requests, results.Plural(requests, "", "s")))
	}
	if len(parts) == 0 {
		return "why"
	}
	return strings.Join(parts, ", ")
}

// outcomeClass is the outcome as a CSS class name: a known outcome, or
// "unknown" for anything else a hand-made file holds.
func outcomeClass(o results.Outcome) string {
	switch o {
	case results.Works, results.WorksWithFallback, results.Fails, results.Unsafe:
		return string(o)
	}
	return string(results.Unknown)
}

// todoHTML is what to do, escaped, with the commands the workflow file
// quotes in backticks as <code>.
func todoHTML(w results.ClientWorkflow) template.HTML {
	return template.HTML(readinesstext.Todo(w, func(s string) string {
		var b strings.Builder
		for _, sp := range readinesstext.Spans(oneLine(s)) {
			if sp.Code {
				fmt.Fprintf(&b, "<code>%s</code>", template.HTMLEscapeString(sp.Text))
			} else {
				b.WriteString(template.HTMLEscapeString(sp.Text))
			}
		}
		return b.String()
	})) // #nosec G203 -- every string from the model is escaped above
}
