// Package console prints the capability matrix of a run as plain text: a
// legend of the registries with score and severity, then capabilities as
// rows grouped by check area and registries as columns (layout.go).
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
	"github.com/ocicaps/ocicaps/report/internal/fallbacktext"
	"github.com/ocicaps/ocicaps/report/internal/trendtext"
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
	return WriteMatrixWidth(w, run, DefaultWidth)
}

// WriteMatrixWidth is WriteMatrix for a terminal of width columns: no line
// of the matrix is wider.
func WriteMatrixWidth(w io.Writer, run *results.Run, width int) error {
	if run == nil {
		return errors.New("console: no run")
	}
	var b strings.Builder
	render(&b, run, width)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("console: write matrix: %w", err)
	}
	return nil
}

func render(b *strings.Builder, run *results.Run, width int) {
	if len(run.Registries) == 0 {
		b.WriteString("no registries in this run\n")
	} else {
		ids := columns(run.Registries)
		writeLayout(b, run, ids, width)
		var details []string
		for i := range run.Registries {
			details = append(details, detailLines(complete(run, i), ids)...)
		}
		section(b, "", details)
		readiness(b, run, width)
		section(b, "distribution versions:", versionLines(run))
		if run.Trend != nil {
			trend(b, run.Trend)
		}
	}
	if run.Incomplete {
		b.WriteString("\nrun incomplete: interrupted before every registry finished\n")
	}
}

// section writes a blank line, the title if any, and the lines; nothing
// when there are no lines.
func section(b *strings.Builder, title string, lines []string) {
	if len(lines) == 0 {
		return
	}
	b.WriteString("\n")
	if title != "" {
		b.WriteString(title + "\n")
	}
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
}

// detailLines are the lines under the matrix for one registry: why each
// capability is not supported, its warnings and its leftovers.
func detailLines(reg results.Registry, ids []string) []string {
	name := oneLine(reg.Name)
	var out []string
	switch reason, unreachable := unreachable(reg); {
	case len(reg.Capabilities) == 0 && len(ids) > 0:
		// One line, not one per column: a registry the run never got to.
		out = append(out, fmt.Sprintf("  %s: no capability run", name))
	case unreachable:
		// One line for one cause: the same refused connection under every
		// capability says nothing more (results.json and JUnit keep them).
		out = append(out, unreachableLine(reg, reason))
	default:
		out = append(out, capabilityLines(reg, ids)...)
		out = append(out, deviationLines(reg, ids)...)
	}
	for _, w := range reg.Warnings {
		out = append(out, fmt.Sprintf("  %s: WARNING: %s", name, oneLine(w)))
	}
	out = append(out, conditionLines(reg)...)
	return append(out, leftoverLines(reg)...)
}

func unreachableLine(reg results.Registry, reason string) string {
	n := len(reg.Capabilities)
	return fmt.Sprintf("  %s: cannot be reached (%d capabilit%s in error): %s",
		oneLine(reg.Name), n, results.Plural(n, "y", "ies"), oneLine(reason))
}

// capabilityLines say, per column, why a capability of reg is not
// supported (or was not run, or was contradicted in verify mode).
func capabilityLines(reg results.Registry, ids []string) []string {
	name := oneLine(reg.Name)
	shared := sharedCauses(reg.Capabilities)
	var out []string
	for _, id := range ids {
		c, ok := find(reg, id)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("  %s: %s: not run", name, id))
		case c.Mismatch:
			out = append(out, fmt.Sprintf("  %s: %s: mismatch: %s", name, id, oneLine(c.Explanation)))
		case c.Status != results.Supported:
			out = append(out, shared.line(name, id, c)...)
		}
		if ok {
			out = append(out, fallbackLine(name, c)...)
		}
	}
	return out
}

// fallbackLine says, for an unsupported capability that declares
// fallbacks, whether a client can work around it on this registry: one
// line, under the capability's own.
func fallbackLine(name string, c results.Capability) []string {
	if l := fallbacktext.Line(c, oneLine); l != "" {
		return []string{"  " + name + ": " + l}
	}
	return nil
}

// deviationLines say, per column, which rules of the spec a capability
// of reg broke, with the request that showed it: one line each.
func deviationLines(reg results.Registry, ids []string) []string {
	name := oneLine(reg.Name)
	var out []string
	for _, id := range ids {
		if c, ok := find(reg, id); ok {
			for _, d := range c.Deviations {
				out = append(out, deviationLine(name, id, d))
			}
		}
	}
	return out
}

func deviationLine(name, id string, d results.Deviation) string {
	line := fmt.Sprintf("  %s: %s: deviates from %q: %s", name, id, oneLine(d.Section), oneLine(d.Rule))
	if d.Integrity() {
		// Corrupted data must not read like a rule of the spec bent.
		line = fmt.Sprintf("  %s: %s: CONTENT INTEGRITY: %s", name, id, oneLine(d.Rule))
	}
	if e := d.Evidence; e.Method != "" {
		line += fmt.Sprintf(" (%s %s: %d)", oneLine(e.Method), oneLine(e.URL), e.Status)
	} else if e.Command != "" {
		line += fmt.Sprintf(" ($ %s)", oneLine(e.Command))
	}
	return line
}

// deviationCount is the cell's note for a capability with deviations:
// " (1 deviation)", " (2 deviations)"; empty without.
func deviationCount(c results.Capability) string {
	n := len(c.Deviations)
	if n == 0 {
		return ""
	}
	if c.Corrupted() {
		// The cell must not read like a missing feature.
		return " (CORRUPT)"
	}
	return fmt.Sprintf(" (%d deviation%s)", n, results.Plural(n, "", "s"))
}

func statusLine(name, id string, c results.Capability) string {
	line := fmt.Sprintf("  %s: %s: %s", name, id, oneLine(string(c.Status)))
	if r := oneLine(c.Reason); r != "" {
		line += ": " + r
	}
	return line
}

func versionLines(run *results.Run) []string {
	var out []string
	for _, reg := range run.Registries {
		if reg.DistributionVersion != "" {
			out = append(out, fmt.Sprintf("  %s: %s", oneLine(reg.Name), oneLine(reg.DistributionVersion)))
		}
	}
	return out
}

// WriteReasons writes, for every registry at or above the run's --fail-on
// threshold, why: one line when it cannot be reached, else one line per
// capability whose severity reaches the threshold. It is what the quiet
// console format prints under its one-line verdict.
func WriteReasons(w io.Writer, run *results.Run) error {
	if run == nil {
		return errors.New("console: no run")
	}
	var lines []string
	for i, reg := range run.Registries {
		if reg.Severity.FailsAt(run.FailOn) {
			lines = append(lines, reasonLines(complete(run, i), run.FailOn)...)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	if _, err := io.WriteString(w, strings.Join(lines, "\n")+"\n"); err != nil {
		return fmt.Errorf("console: write reasons: %w", err)
	}
	return nil
}

func reasonLines(reg results.Registry, failOn results.Severity) []string {
	if reason, ok := unreachable(reg); ok {
		return []string{unreachableLine(reg, reason)}
	}
	var out []string
	var failing []results.Capability
	for _, c := range reg.Capabilities {
		if c.EffectiveSeverity().FailsAt(failOn) {
			failing = append(failing, c)
		}
	}
	shared := sharedCauses(failing)
	for _, c := range failing {
		out = append(out, shared.line(oneLine(reg.Name), oneLine(c.ID), c)...)
	}
	if results.Info.FailsAt(failOn) {
		// Deviations make a registry info: at --fail-on info they are
		// among the reasons it fails.
		for _, c := range reg.Capabilities {
			for _, d := range c.Deviations {
				out = append(out, deviationLine(oneLine(reg.Name), oneLine(c.ID), d))
			}
		}
	}
	out = append(out, conditionLines(reg)...)
	if len(out) == 0 {
		// A severity no capability explains (a hand-made file): say so
		// rather than print nothing.
		out = append(out, fmt.Sprintf("  %s: severity %s", oneLine(reg.Name), oneLine(string(reg.Severity))))
	}
	return out
}

// trend prints the changes since the baseline, one line per changed
// registry, so the morning's question "what changed?" has a short answer.
func trend(b *strings.Builder, t *results.Trend) {
	base := oneLine(t.Baseline.File)
	if !t.Baseline.StartedAt.IsZero() {
		base += " (run of " + t.Baseline.StartedAt.UTC().Format("2006-01-02 15:04 UTC") + ")"
	}
	fmt.Fprintf(b, "\nchanges since %s: %d lost, %d gained\n", base, t.Lost, t.Gained)
	lines := trendtext.Lines(t, trendtext.Style{Arrow: "->", Text: oneLine, Reason: oneLine})
	for _, l := range lines {
		fmt.Fprintf(b, "  %s: %s\n", l.Name, l.What)
	}
	if len(lines) == 0 {
		b.WriteString("  no changes\n")
	}
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
	return w + deviationCount(c)
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
