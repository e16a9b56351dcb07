package console

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ocicaps/ocicaps/results"
)

// DefaultWidth is the width the matrix fits when the output is not a
// terminal (a log, a pipe, a file): wide enough for a few registries side
// by side, narrow enough for a CI log viewer.
const DefaultWidth = 120

// minWidth keeps a silly terminal width from making every cell "…".
const minWidth = 40

// The matrix reads at any number of capabilities: capabilities are rows,
// grouped by check area, so 40 capabilities make 40 short lines rather
// than one long one. Registries are columns, numbered, with a legend above
// that holds their names, scores and severities; when the columns do not
// fit the width they are split into blocks that each do. No line of the
// legend or the matrix is wider than the width.

// writeLayout writes the legend and the matrix of run for capability ids.
func writeLayout(b *strings.Builder, run *results.Run, ids []string, width int) {
	width = max(width, minWidth)
	regs := run.Registries
	writeLegend(b, regs, width)
	if len(ids) == 0 {
		return
	}
	groups := checkGroups(regs, ids)
	if len(regs) == 1 {
		b.WriteString("\n")
		writeBlock(b, regs, groups, []int{0}, []string{"verdict"}, width)
		return
	}
	for _, block := range columnBlocks(regs, ids, width) {
		b.WriteString("\n")
		heads := make([]string, len(block))
		for j, k := range block {
			heads[j] = strconv.Itoa(k + 1)
		}
		writeBlock(b, regs, groups, block, heads, width)
	}
}

// writeLegend writes one line per registry: its number in the matrix
// (when there are several), name, score and severity.
func writeLegend(b *strings.Builder, regs []results.Registry, width int) {
	rows := [][]string{{"registry", "score", "severity"}}
	if len(regs) > 1 {
		rows[0] = append([]string{"#"}, rows[0]...)
	}
	for i, reg := range regs {
		sev := oneLine(string(reg.Severity))
		if sev == "" {
			sev = CellNotRun
		}
		row := []string{oneLine(reg.Name), fmt.Sprintf("%d/%d", reg.Score, reg.MaxScore), sev}
		if len(regs) > 1 {
			row = append([]string{strconv.Itoa(i + 1)}, row...)
		}
		rows = append(rows, row)
	}
	// The name column gets what the other columns leave of the width.
	nameCol := 0
	if len(regs) > 1 {
		nameCol = 1
	}
	rest := 0
	for c := range rows[0] {
		if c != nameCol {
			rest += colWidth(rows, c) + len(gap)
		}
	}
	for _, row := range rows {
		row[nameCol] = clip(row[nameCol], width-rest)
	}
	writeTable(b, rows)
}

// group is a check area and its capability ids, in column order.
type group struct {
	check string
	ids   []string
}

// checkGroups groups ids by the check of their capability, in the order
// each check first appears.
func checkGroups(regs []results.Registry, ids []string) []group {
	var out []group
	at := map[string]int{}
	for _, id := range ids {
		check := "(no check)"
		for _, reg := range regs {
			if c, ok := find(reg, id); ok && c.Check != "" {
				check = oneLine(c.Check)
				break
			}
		}
		i, ok := at[check]
		if !ok {
			i = len(out)
			at[check] = i
			out = append(out, group{check: check})
		}
		out[i].ids = append(out[i].ids, id)
	}
	return out
}

// capIndent is the indent of a capability under its check.
const capIndent = "  "

// capWidth is the width of the capability column: the longest id, at
// most half the width.
func capWidth(ids []string, width int) int {
	w := 0
	for _, id := range ids {
		w = max(w, len(capIndent)+utf8.RuneCountInString(id))
	}
	return min(w, width/2)
}

// cellWidth is the width registry k's column needs.
func cellWidth(reg results.Registry, k int, ids []string) int {
	w := len(strconv.Itoa(k + 1))
	for _, id := range ids {
		w = max(w, utf8.RuneCountInString(cell(reg, id)))
	}
	return w
}

// columnBlocks splits the registries' columns into blocks that each fit
// the width beside the capability column; a block holds at least one.
func columnBlocks(regs []results.Registry, ids []string, width int) [][]int {
	used := capWidth(ids, width)
	var blocks [][]int
	var cur []int
	line := used
	for k, reg := range regs {
		w := len(gap) + cellWidth(reg, k, ids)
		if len(cur) > 0 && line+w > width {
			blocks = append(blocks, cur)
			cur, line = nil, used
		}
		cur = append(cur, k)
		line += w
	}
	return append(blocks, cur)
}

// writeBlock writes the matrix for the registries cols (headed by heads):
// a header line, then per check a title line and its capabilities.
func writeBlock(b *strings.Builder, regs []results.Registry, groups []group, cols []int, heads []string, width int) {
	var all []string
	for _, g := range groups {
		all = append(all, g.ids...)
	}
	cw := capWidth(all, width)
	rows := [][]string{append([]string{"capability"}, heads...)}
	var titles []int
	for _, g := range groups {
		titles = append(titles, len(rows))
		rows = append(rows, []string{g.check})
		for _, id := range g.ids {
			row := []string{clip(capIndent+id, cw)}
			for _, k := range cols {
				row = append(row, clip(cell(regs[k], id), width-cw-len(gap)))
			}
			rows = append(rows, row)
		}
	}
	// Titles span the line: they take no part in the column widths.
	table := make([][]string, 0, len(rows))
	for _, r := range rows {
		if len(r) > 1 {
			table = append(table, r)
		}
	}
	var t strings.Builder
	writeTable(&t, table)
	lines := strings.Split(strings.TrimSuffix(t.String(), "\n"), "\n")
	next := 0
	for i, r := range rows {
		if len(titles) > 0 && i == titles[0] {
			titles = titles[1:]
			b.WriteString(clip(r[0], width) + "\n")
			continue
		}
		b.WriteString(lines[next] + "\n")
		next++
	}
}

// colWidth is the widest cell of column c.
func colWidth(rows [][]string, c int) int {
	w := 0
	for _, r := range rows {
		if c < len(r) {
			w = max(w, utf8.RuneCountInString(r[c]))
		}
	}
	return w
}

// clip shortens s to at most n runes, marking the cut with "…".
func clip(s string, n int) string {
	if n < 1 {
		n = 1
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
