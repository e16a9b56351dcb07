// Package markdown writes summary.md: a compact capability matrix, the
// registries not at pass and the changes since a baseline, for CI step
// summaries ($GITHUB_STEP_SUMMARY) and pull-request comments.
package markdown

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/ocicaps/ocicaps/report/internal/atomicfile"
	"github.com/ocicaps/ocicaps/report/internal/fallbacktext"
	"github.com/ocicaps/ocicaps/report/internal/trendtext"
	"github.com/ocicaps/ocicaps/results"
)

// MaxBytes bounds summary.md below GitHub's 65,536-character limit for a
// comment, with room for a heading a CI recipe may add. When the details
// would pass it they are cut, and the file says so; the matrix is never cut.
const MaxBytes = 60000

// reasonMax bounds one reason in the details: the evidence is in
// report.html and results.json, the summary only names the problem.
const reasonMax = 200

// Cell words, the console's: words, so the table reads without colour.
const (
	cellSupported   = "yes"
	cellUnsupported = "no"
	cellError       = "**ERROR**"
	cellNotRun      = "-"
)

// Write writes summary.md for run to path atomically.
func Write(path string, run *results.Run) error {
	if run == nil {
		return fmt.Errorf("markdown: write %s: no run", path)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return Encode(w, run) }); err != nil {
		return fmt.Errorf("markdown: %w", err)
	}
	return nil
}

// Encode writes the summary of run to w.
func Encode(w io.Writer, run *results.Run) error {
	if run == nil {
		return errors.New("markdown: no run")
	}
	if _, err := io.WriteString(w, Render(run)); err != nil {
		return fmt.Errorf("markdown: %w", err)
	}
	return nil
}

// Render returns the summary of run. It depends only on run.
func Render(run *results.Run) string {
	var head, details strings.Builder
	head.WriteString("## OCI registry capabilities\n\n")
	head.WriteString(metaLine(run))
	if run.Incomplete {
		head.WriteString("\n**Run incomplete:** interrupted before every registry finished.\n")
	}
	head.WriteString("\n")
	if len(run.Registries) == 0 {
		head.WriteString("No registries in this run.\n")
	} else {
		matrix(&head, run)
	}
	if run.Trend != nil {
		trend(&details, run)
	}
	notAtPass(&details, run)
	conditions(&details, run)
	deviations(&details, run)
	fallbacks(&details, run)
	clients(&details, run)

	out := head.String()
	d := details.String()
	if len(out)+len(d) > MaxBytes {
		d = cut(d, MaxBytes-len(out)-200)
	}
	return out + d
}

func metaLine(run *results.Run) string {
	var parts []string
	parts = append(parts, fmt.Sprintf("%d registr%s", len(run.Registries), results.Plural(len(run.Registries), "y", "ies")))
	if !run.StartedAt.IsZero() {
		parts = append(parts, run.StartedAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if run.Tool.Version != "" {
		parts = append(parts, "ocicaps "+text(run.Tool.Version))
	}
	if run.Selection != "" {
		parts = append(parts, "selection `"+code(run.Selection)+"`")
	}
	parts = append(parts, "fails at "+string(run.Threshold()))
	if sev := run.SeverityCounts(); len(sev) > 0 {
		parts = append(parts, strings.Join(sev, ", "))
	}
	return strings.Join(parts, " · ") + "\n"
}

func matrix(b *strings.Builder, run *results.Run) {
	ids := run.CapabilityIDs()
	changes := changeIndex(run.Trend)
	b.WriteString("| registry |")
	for _, id := range ids {
		b.WriteString(" " + cell(id) + " |")
	}
	b.WriteString(" score | severity |\n|---|")
	for range ids {
		b.WriteString("---|")
	}
	b.WriteString("---:|---|\n")
	for _, reg := range run.Registries {
		b.WriteString("| " + cell(reg.Name) + " |")
		for _, id := range ids {
			b.WriteString(" " + capCell(reg, id, changes[reg.Name][id]) + " |")
		}
		sev := string(reg.Severity)
		if sev == "" {
			sev = cellNotRun
		} else if reg.Severity.FailsAt(run.FailOn) {
			sev = "**" + cell(sev) + "**"
		} else {
			sev = cell(sev)
		}
		fmt.Fprintf(b, " %d/%d | %s |\n", reg.Score, reg.MaxScore, sev)
	}
}

func capCell(reg results.Registry, id string, change results.ChangeKind) string {
	c, ok := reg.Capability(id)
	var s string
	switch {
	case !ok:
		s = cellNotRun
	case c.Status == results.Supported:
		s = cellSupported
	case c.Status == results.Unsupported:
		s = cellUnsupported
	default:
		s = cellError
	}
	if ok && c.Mismatch {
		// Verify mode: what asking said, beside what doing showed.
		s += " (asked: " + text(string(c.Probe)) + ")"
	}
	if n := len(c.Deviations); ok && n > 0 {
		s += fmt.Sprintf(" (%d deviation%s)", n, results.Plural(n, "", "s"))
	}
	switch change {
	case results.ChangeLost:
		s += " (lost)"
	case results.ChangeGained:
		s += " (gained)"
	}
	return s
}

// changeIndex maps registry → capability → change kind.
func changeIndex(t *results.Trend) map[string]map[string]results.ChangeKind {
	m := map[string]map[string]results.ChangeKind{}
	if t == nil {
		return m
	}
	for _, r := range t.Registries {
		m[r.Name] = map[string]results.ChangeKind{}
		for _, c := range r.Changes {
			m[r.Name][c.ID] = c.Kind
		}
	}
	return m
}

func trend(b *strings.Builder, run *results.Run) {
	t := run.Trend
	b.WriteString("\n### Changes since the baseline\n\n")
	base := "`" + code(t.Baseline.File) + "`"
	if !t.Baseline.StartedAt.IsZero() {
		base += ", run of " + t.Baseline.StartedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	fmt.Fprintf(b, "Baseline %s: %d capabilit%s lost, %d gained.\n\n", base, t.Lost, results.Plural(t.Lost, "y", "ies"), t.Gained)
	style := trendtext.Style{Arrow: "→", Text: text, Reason: func(r string) string { return text(short(r)) }}
	lines := trendtext.Lines(t, style)
	for _, l := range lines {
		fmt.Fprintf(b, "- **%s**: %s\n", l.Name, l.What)
	}
	if len(lines) == 0 {
		b.WriteString("No changes.\n")
	}
}

func notAtPass(b *strings.Builder, run *results.Run) {
	var regs []results.Registry
	for _, r := range run.Registries {
		if r.Severity != results.Pass {
			regs = append(regs, r)
		}
	}
	if len(regs) == 0 {
		if len(run.Registries) > 0 {
			b.WriteString("\nEvery registry is at pass.\n")
		}
		return
	}
	// Worst first: a reader of a pull request looks at the top.
	sort.SliceStable(regs, func(i, j int) bool { return regs[i].Severity.Rank() > regs[j].Severity.Rank() })
	fmt.Fprintf(b, "\n### Not at pass (%d)\n\n", len(regs))
	for _, r := range regs {
		sev := string(r.Severity)
		if sev == "" {
			sev = "no verdict"
		}
		fmt.Fprintf(b, "- **%s** (%s, %d/%d)", text(r.Name), text(sev), r.Score, r.MaxScore)
		var items []string
		for _, c := range r.Capabilities {
			if c.Status == results.Supported {
				continue
			}
			item := text(c.ID) + " " + text(string(c.Status))
			if c.Status == results.Unsupported {
				item += " (" + string(c.EffectiveSeverity()) + ")"
			}
			if c.Reason != "" {
				item += ": " + text(short(c.Reason))
			}
			items = append(items, item)
		}
		if len(r.Capabilities) == 0 {
			items = append(items, "no capability run")
		}
		if n := r.Deviations(); n > 0 {
			items = append(items, fmt.Sprintf("%d deviation%s from the spec", n, results.Plural(n, "", "s")))
		}
		if len(r.Leftovers) > 0 {
			items = append(items, fmt.Sprintf("%d leftover%s to remove by hand", len(r.Leftovers), results.Plural(len(r.Leftovers), "", "s")))
		}
		b.WriteString(": " + strings.Join(items, "; ") + "\n")
	}
	b.WriteString("\nEvidence and how to fix each missing capability: report.html.\n")
}

// fallbacks says, for every unsupported capability with declared
// fallbacks, whether a client can work around it on each registry. The
// registries where the fallbacks fared the same share one item ("referrers
// on **a**, **b**: no — fallback … works (verified)"), so that every
// registry and capability is named once while a fleet stays within
// MaxBytes; without the hints (how to run a fallback that was not run),
// which report.html and results.json have.
func fallbacks(b *strings.Builder, run *results.Run) {
	type group struct {
		id, phrases string
		regs        []string
	}
	var groups []*group
	index := map[[2]string]*group{}
	for _, r := range run.Registries {
		for _, c := range r.Capabilities {
			if c.Status != results.Unsupported || len(c.Fallbacks) == 0 {
				continue
			}
			c.Fallbacks = append([]results.Fallback(nil), c.Fallbacks...)
			for i := range c.Fallbacks {
				c.Fallbacks[i].Hint = ""
			}
			k := [2]string{c.ID, fallbacktext.Phrases(c, text)}
			g, ok := index[k]
			if !ok {
				g = &group{id: c.ID, phrases: k[1]}
				index[k] = g
				groups = append(groups, g)
			}
			g.regs = append(g.regs, "**"+text(r.Name)+"**")
		}
	}
	if len(groups) == 0 {
		return
	}
	b.WriteString("\n### Fallbacks\n\n")
	for _, g := range groups {
		fmt.Fprintf(b, "- %s on %s: no — %s\n", text(g.id), strings.Join(g.regs, ", "), g.phrases)
	}
}

// deviations lists every rule of the spec a registry broke: one line per
// capability, section and rule, naming the registries that broke it and
// the request that showed it on the first of them (report.html and
// results.json have every one), so a fleet stays within MaxBytes.
func deviations(b *strings.Builder, run *results.Run) {
	type group struct {
		id   string
		d    results.Deviation
		regs []string
	}
	var groups []*group
	index := map[[3]string]*group{}
	for _, r := range run.Registries {
		for _, c := range r.Capabilities {
			for _, d := range c.Deviations {
				k := [3]string{c.ID, d.Section, d.Rule}
				g, ok := index[k]
				if !ok {
					g = &group{id: c.ID, d: d}
					index[k] = g
					groups = append(groups, g)
				}
				g.regs = append(g.regs, "**"+text(r.Name)+"**")
			}
		}
	}
	if len(groups) == 0 {
		return
	}
	b.WriteString("\n### Deviations from the spec\n\n")
	b.WriteString("The operation worked, but a rule the spec says MUST hold was broken; the capability keeps its verdict and the registry is at least info.\n\n")
	for _, g := range groups {
		if g.d.Integrity() {
			// Corrupted data must not read like a rule of the spec bent.
			fmt.Fprintf(b, "- %s: CONTENT INTEGRITY on %s: %s", text(g.id), strings.Join(g.regs, ", "), text(short(g.d.Rule)))
		} else {
			fmt.Fprintf(b, "- %s deviates from \"%s\" on %s: %s", text(g.id), text(g.d.Section), strings.Join(g.regs, ", "), text(short(g.d.Rule)))
		}
		if e := g.d.Evidence; e.Method != "" {
			eg := ""
			if len(g.regs) > 1 {
				eg = "e.g. "
			}
			fmt.Fprintf(b, " (%s`%s %s` → %d)", eg, code(e.Method), code(pathOf(e.URL)), e.Status)
		} else if e.Command != "" {
			fmt.Fprintf(b, " (`$ %s`)", code(e.Command))
		}
		b.WriteString("\n")
	}
}

// pathOf is the path and query of a URL, which say what was asked; the
// registry's host is in the matrix.
func pathOf(u string) string {
	if p, err := url.Parse(u); err == nil && p.Path != "" {
		return p.RequestURI()
	}
	return u
}

// cut shortens details to at most n bytes at a line boundary and says so.
func cut(d string, n int) string {
	if n < 0 {
		n = 0
	}
	lines := strings.SplitAfter(d, "\n")
	var b strings.Builder
	kept := 0
	for _, l := range lines {
		if b.Len()+len(l) > n {
			break
		}
		b.WriteString(l)
		kept++
	}
	fmt.Fprintf(&b, "\n_…%d more line(s) cut to keep this summary short; report.html and results.json have everything._\n", len(lines)-kept)
	return b.String()
}

func short(s string) string {
	r := []rune(s)
	if len(r) <= reasonMax {
		return s
	}
	return string(r[:reasonMax]) + "…"
}

// text makes s safe as Markdown text on one line: control characters
// (newlines would end a table row or list item) become spaces, invalid
// UTF-8 becomes U+FFFD, and every character with a Markdown or HTML meaning
// is backslash-escaped, so a registry's answer cannot inject links, images,
// HTML or table cells into a pull-request comment.
func text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_{}[]()<>#+!|~&", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cell is text for a table cell.
func cell(s string) string { return text(s) }

// code makes s safe inside a `code span`: no backticks, one line.
func code(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '`' || unicode.IsControl(r) {
			return ' '
		}
		if r == '|' {
			return '¦' // a pipe would end a table cell even inside a code span
		}
		return r
	}, s)
}
