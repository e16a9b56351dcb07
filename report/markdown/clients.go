package markdown

import (
	"fmt"
	"strings"

	"github.com/ocicaps/ocicaps/report/internal/readinesstext"
	"github.com/ocicaps/ocicaps/results"
)

// clients writes the client readiness (ocicaps run --clients): one table
// per registry, registries whose tables read the same sharing one so that
// a fleet stays within MaxBytes; nothing when no registry has clients.
func clients(b *strings.Builder, run *results.Run) {
	type group struct {
		body, counts string
		regs         []string
	}
	var groups []*group
	at := map[string]*group{}
	for _, reg := range run.Registries {
		if len(reg.Clients) == 0 {
			continue
		}
		body := clientTable(reg.Clients)
		g, ok := at[body]
		if !ok {
			g = &group{body: body, counts: readinesstext.Counts(reg.Clients)}
			at[body] = g
			groups = append(groups, g)
		}
		g.regs = append(g.regs, "**"+text(reg.Name)+"**")
	}
	if len(groups) == 0 {
		return
	}
	b.WriteString("\n### Client readiness\n\n")
	b.WriteString("What each client workflow does on the registry: confirmed when the real client ran it (`--clients --verify`), else predicted from the capabilities. Commands, output and the checks on the registry: report.html.\n")
	for _, g := range groups {
		fmt.Fprintf(b, "\n%s (%s):\n\n%s", strings.Join(g.regs, ", "), g.counts, g.body)
	}
}

// clientTable is one registry's table and, under it, one item per
// mismatch (with the workflow file to fix) and per client that tried to
// reach another host.
func clientTable(ws []results.ClientWorkflow) string {
	var b strings.Builder
	var notes []string
	b.WriteString("| client | workflow | outcome | basis | what to do |\n|---|---|---|---|---|\n")
	for _, w := range ws {
		outcome := text(string(w.Outcome))
		if w.Outcome == results.Unsafe {
			outcome = "**UNSAFE**"
		}
		basis := readinesstext.Basis(w, text)
		if m := readinesstext.Mismatch(w, text); m != "" {
			basis += "; **" + m + "**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", text(w.Client), text(w.Workflow), outcome, basis, readinesstext.Todo(w, rich))
		id := text(w.Client) + " " + text(w.Workflow)
		if w.Mismatch {
			item := "- " + id + ": **MISMATCH**: " + text(short(w.Reason))
			if w.Source != "" && !strings.Contains(w.Reason, w.Source) {
				item += " (workflow `" + code(w.Source) + "`)"
			}
			notes = append(notes, item)
		}
		if e := readinesstext.Egress(w, func(s string) string { return "`" + code(s) + "`" }); e != "" {
			notes = append(notes, "- "+id+": "+e)
		}
	}
	if len(notes) > 0 {
		b.WriteString("\n" + strings.Join(notes, "\n") + "\n")
	}
	return b.String()
}

// rich is text for an advice, a setting or a reason from a workflow file:
// what it quotes in backticks becomes a code span, the rest is escaped.
func rich(s string) string {
	var b strings.Builder
	for _, sp := range readinesstext.Spans(short(s)) {
		if sp.Code {
			b.WriteString("`" + code(sp.Text) + "`")
		} else {
			b.WriteString(text(sp.Text))
		}
	}
	return b.String()
}
