package console

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ocicaps/ocicaps/report/internal/readinesstext"
	"github.com/ocicaps/ocicaps/results"
)

// Client readiness (ocicaps run --clients): after the matrix, one compact
// table per registry of its client workflows, with what decided each
// outcome and what to do. A fleet stays readable: registries whose tables
// read the same share one, headed by their numbers in the legend.

// Outcome words in the readiness table: an unsafe workflow shouts, as a
// corrupt capability does.
const (
	OutcomeUnsafe = "UNSAFE"
)

// maxGroupNames is how many registries a shared table's heading names;
// above, it gives their legend numbers.
const maxGroupNames = 3

// readiness writes the readiness tables of run; nothing when no registry
// has clients, so a run without --clients prints what it always did.
func readiness(b *strings.Builder, run *results.Run, width int) {
	type group struct {
		body string
		regs []int
	}
	var groups []*group
	at := map[string]*group{}
	for i, reg := range run.Registries {
		if len(reg.Clients) == 0 {
			continue
		}
		body := readinessBody(reg.Clients)
		g, ok := at[body]
		if !ok {
			g = &group{body: body}
			at[body] = g
			groups = append(groups, g)
		}
		g.regs = append(g.regs, i)
	}
	for _, g := range groups {
		b.WriteString("\n")
		b.WriteString(readinessTitle(run, g.regs, max(width, minWidth)) + "\n")
		b.WriteString(g.body)
	}
}

// readinessTitle is "client readiness on zoo (2 confirmed, 1 predicted):",
// or for registries that share the table their count, then, indented,
// each one's legend number and name (cut to the width) when they are
// few, else their numbers, wrapped: the legend names them.
func readinessTitle(run *results.Run, regs []int, width int) string {
	counts := readinesstext.Counts(run.Registries[regs[0]].Clients)
	if len(regs) == 1 {
		head, tail := "client readiness on ", " ("+counts+"):"
		return head + clip(oneLine(run.Registries[regs[0]].Name), width-len(head)-len(tail)) + tail
	}
	lines := []string{fmt.Sprintf("client readiness on %d registries, the same on each (%s):", len(regs), counts)}
	if len(regs) > maxGroupNames {
		return strings.Join(append(lines, wrap("registries", numbers(regs), width)...), "\n")
	}
	for _, k := range regs {
		lines = append(lines, clip(capIndent+"#"+strconv.Itoa(k+1)+" "+oneLine(run.Registries[k].Name), width))
	}
	return strings.Join(lines, "\n")
}

// wrap writes head and the comma-separated items of list on lines no
// wider than width (an item wider than that keeps its own line), each
// indented.
func wrap(head, list string, width int) []string {
	var lines []string
	line := capIndent + head
	for i, item := range strings.Split(list, ", ") {
		if i < strings.Count(list, ", ") {
			item += ","
		}
		if utf8.RuneCountInString(line)+1+utf8.RuneCountInString(item) > width && strings.TrimSpace(line) != "" {
			lines = append(lines, line)
			line = capIndent + item
			continue
		}
		line += " " + item
	}
	return append(lines, line)
}

// numbers writes registry indexes as legend numbers with ranges: "#4-6, #9".
func numbers(regs []int) string {
	var parts []string
	for i := 0; i < len(regs); {
		j := i
		for j+1 < len(regs) && regs[j+1] == regs[j]+1 {
			j++
		}
		p := "#" + strconv.Itoa(regs[i]+1)
		if j > i {
			p += "-" + strconv.Itoa(regs[j]+1)
		}
		parts = append(parts, p)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// readinessBody is a registry's table and, under it, a line per mismatch
// (with the workflow file to fix) and per client that tried to reach
// another host.
func readinessBody(ws []results.ClientWorkflow) string {
	rows := [][]string{{capIndent + "client", "workflow", "outcome", "basis", "what to do"}}
	var notes []string
	for _, w := range ws {
		basis := readinesstext.Basis(w, oneLine)
		if m := readinesstext.Mismatch(w, oneLine); m != "" {
			basis += "; " + m
		}
		rows = append(rows, []string{capIndent + oneLine(w.Client), oneLine(w.Workflow), outcomeWord(w.Outcome), basis, readinesstext.Todo(w, oneLine)})
		id := oneLine(w.Client) + " " + oneLine(w.Workflow)
		if w.Mismatch {
			notes = append(notes, fmt.Sprintf("%s%s: MISMATCH: %s%s", capIndent, id, oneLine(w.Reason), fixFile(w)))
		}
		if e := readinesstext.Egress(w, oneLine); e != "" {
			notes = append(notes, capIndent+id+": "+e)
		}
	}
	var b strings.Builder
	writeTable(&b, rows)
	for _, n := range notes {
		b.WriteString(n + "\n")
	}
	return b.String()
}

// fixFile names the workflow's file:line after a mismatch's reason, unless
// the reason names it already.
func fixFile(w results.ClientWorkflow) string {
	src := oneLine(w.Source)
	if src == "" || strings.Contains(oneLine(w.Reason), src) {
		return ""
	}
	return " (workflow " + src + ")"
}

func outcomeWord(o results.Outcome) string {
	if o == results.Unsafe {
		return OutcomeUnsafe
	}
	if o == "" {
		return CellNotRun
	}
	return oneLine(string(o))
}
