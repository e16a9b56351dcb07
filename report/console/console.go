// Package console prints the capability matrix of a run as plain text:
// registries as rows, capabilities as columns, then score and severity.
// No colours or other escape sequences, so the output can be piped, diffed
// and pasted into tickets.
package console

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ocicaps/ocicaps/internal/safetext"
	"github.com/ocicaps/ocicaps/results"
)

// Cell words. Words, not symbols, so the matrix reads the same in any
// terminal and in a log.
const (
	CellSupported   = "yes"
	CellUnsupported = "no"
	CellError       = "ERROR"
	CellNotRun      = "-"
)

// gap separates columns.
const gap = "  "

// WriteMatrix writes the matrix for run to w, then one line per capability
// that is not supported and per leftover, then the distribution versions the
// registries advertised. The output depends only on run.
func WriteMatrix(w io.Writer, run *results.Run) error {
	if run == nil {
		return errors.New("console: no run")
	}
	var b strings.Builder
	render(&b, run)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("console: write matrix: %w", err)
	}
	return nil
}

func render(b *strings.Builder, run *results.Run) {
	if len(run.Registries) == 0 {
		b.WriteString("no registries in this run\n")
		if run.Incomplete {
			b.WriteString("\nrun incomplete: interrupted before every registry finished\n")
		}
		return
	}

	ids := columns(run.Registries)
	rows := [][]string{append(append([]string{"registry"}, ids...), "score", "severity")}
	for _, reg := range run.Registries {
		row := []string{oneLine(reg.Name)}
		for _, id := range ids {
			row = append(row, cell(reg, id))
		}
		sev := oneLine(string(reg.Severity))
		if sev == "" {
			sev = CellNotRun
		}
		row = append(row, fmt.Sprintf("%d/%d", reg.Score, reg.MaxScore), sev)
		rows = append(rows, row)
	}
	writeTable(b, rows)

	var details []string
	for _, reg := range run.Registries {
		name := oneLine(reg.Name)
		if len(reg.Capabilities) == 0 && len(ids) > 0 {
			// One line, not one per column: a registry the run never got to.
			details = append(details, fmt.Sprintf("  %s: no capability run", name))
		}
		for _, id := range ids {
			if len(reg.Capabilities) == 0 {
				break // said above
			}
			c, ok := find(reg, id)
			switch {
			case !ok:
				details = append(details, fmt.Sprintf("  %s: %s: not run", name, id))
			case c.Mismatch:
				details = append(details, fmt.Sprintf("  %s: %s: mismatch: %s", name, id, oneLine(c.Explanation)))
			case c.Status != results.Supported:
				line := fmt.Sprintf("  %s: %s: %s", name, id, oneLine(string(c.Status)))
				if r := oneLine(c.Reason); r != "" {
					line += ": " + r
				}
				details = append(details, line)
			}
		}
		for _, w := range reg.Warnings {
			details = append(details, fmt.Sprintf("  %s: WARNING: %s", name, oneLine(w)))
		}
		for _, l := range reg.Leftovers {
			details = append(details, fmt.Sprintf("  %s: leftover: %s %s: %s",
				name, oneLine(l.What), oneLine(l.URL), oneLine(l.Reason)))
		}
	}
	if len(details) > 0 {
		b.WriteString("\n")
		for _, d := range details {
			b.WriteString(d)
			b.WriteString("\n")
		}
	}

	var versions []string
	for _, reg := range run.Registries {
		if reg.DistributionVersion != "" {
			versions = append(versions, fmt.Sprintf("  %s: %s", oneLine(reg.Name), oneLine(reg.DistributionVersion)))
		}
	}
	if len(versions) > 0 {
		b.WriteString("\ndistribution versions:\n")
		for _, v := range versions {
			b.WriteString(v)
			b.WriteString("\n")
		}
	}

	if run.Trend != nil {
		trend(b, run.Trend)
	}

	if run.Incomplete {
		b.WriteString("\nrun incomplete: interrupted before every registry finished\n")
	}
}

// trend prints the changes since the baseline, one line per changed
// registry, so the morning's question "what changed?" has a short answer.
func trend(b *strings.Builder, t *results.Trend) {
	base := oneLine(t.Baseline.File)
	if !t.Baseline.StartedAt.IsZero() {
		base += " (run of " + t.Baseline.StartedAt.UTC().Format("2006-01-02 15:04 UTC") + ")"
	}
	fmt.Fprintf(b, "\nchanges since %s: %d lost, %d gained\n", base, t.Lost, t.Gained)
	n := 0
	for _, r := range t.Registries {
		if !r.Changed() {
			continue
		}
		n++
		var parts []string
		for _, c := range r.Changes {
			p := fmt.Sprintf("%s %s (%s -> %s", c.Kind, oneLine(c.ID), word(c.Before), word(c.After))
			if c.Reason != "" {
				p += ": " + oneLine(c.Reason)
			}
			parts = append(parts, p+")")
		}
		if r.ScoreBefore != r.Score || r.MaxScoreBefore != r.MaxScore {
			parts = append(parts, fmt.Sprintf("score %d/%d -> %d/%d", r.ScoreBefore, r.MaxScoreBefore, r.Score, r.MaxScore))
		}
		if r.SeverityBefore != r.Severity {
			parts = append(parts, fmt.Sprintf("severity %s -> %s", oneLine(string(r.SeverityBefore)), oneLine(string(r.Severity))))
		}
		fmt.Fprintf(b, "  %s: %s\n", oneLine(r.Name), strings.Join(parts, "; "))
	}
	for _, name := range t.Added {
		n++
		fmt.Fprintf(b, "  %s: added (not in the baseline)\n", oneLine(name))
	}
	for _, name := range t.Removed {
		n++
		fmt.Fprintf(b, "  %s: removed (only in the baseline)\n", oneLine(name))
	}
	if n == 0 {
		b.WriteString("  no changes\n")
	}
}

func word(s results.Status) string {
	if s == "" {
		return "not run"
	}
	return oneLine(string(s))
}

// columns is the union of capability ids over the registries, in the order
// of the first registry that has each: the suite's order for a normal run,
// and still stable when one registry ran more capabilities than another.
func columns(regs []results.Registry) []string {
	seen := map[string]bool{}
	var ids []string
	for _, reg := range regs {
		for _, c := range reg.Capabilities {
			id := oneLine(c.ID)
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// find returns the first capability of reg whose printed id is id.
func find(reg results.Registry, id string) (results.Capability, bool) {
	for _, c := range reg.Capabilities {
		if oneLine(c.ID) == id {
			return c, true
		}
	}
	return results.Capability{}, false
}

func cell(reg results.Registry, id string) string {
	c, ok := find(reg, id)
	if !ok {
		return CellNotRun
	}
	w := cellWord(c.Status)
	if c.Mismatch {
		// Verify mode: the verdict is what doing it showed; the probe's
		// contrary answer stays visible.
		w += " (asked: " + cellWord(c.Probe) + ")"
	}
	return w
}

func cellWord(s results.Status) string {
	switch s {
	case results.Supported:
		return CellSupported
	case results.Unsupported:
		return CellUnsupported
	}
	// results.Summarize treats any other status as an error; so does the
	// matrix, and the detail line shows the status as recorded.
	return CellError
}

// writeTable pads every column but the last to its widest cell and trims
// trailing blanks, so lines never end in spaces.
func writeTable(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			if i > 0 {
				line.WriteString(gap)
			}
			line.WriteString(c)
			if i < len(row)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
}

// oneLine makes s safe for one line of a terminal (safetext.Line): neither
// the table layout nor the terminal can be disturbed by what a registry
// answered.
func oneLine(s string) string { return safetext.Line(s) }
