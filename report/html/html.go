// Package html writes report.html: one self-contained page with the
// capability matrix (registries as rows, capabilities as columns), score and
// severity per registry, the run's metadata, the changes since a baseline,
// and behind every cell its evidence and, for a missing capability, the
// remediation its feature file carries.
//
// The page has no script and no external reference of any kind: it opens
// offline from disk and sends no request. Evidence panels open with CSS
// :target and the severity filter is CSS :has(). Every value goes through
// html/template, so nothing a registry answered can become markup.
package html

import (
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/ocicaps/ocicaps/report/internal/atomicfile"
	"github.com/ocicaps/ocicaps/results"
)

//go:embed report.html.tmpl
var source string

var page = template.Must(template.New("report.html").Parse(source))

// Cell words: a verdict is always written out; colour and the mark only
// repeat it.
var words = map[results.Status]struct{ word, mark string }{
	results.Supported:   {"supported", "✓"},
	results.Unsupported: {"unsupported", "✗"},
	results.Error:       {"error", "!"},
}

// Write writes report.html for run to path atomically, and for a fleet
// (more than InlineLimit registries) one page per registry in
// RegistriesDir next to it, first (fleet.go).
func Write(path string, run *results.Run) error {
	if run == nil {
		return fmt.Errorf("html: write %s: no run", path)
	}
	folder := filepath.Dir(path)
	if err := clearPages(filepath.Join(folder, RegistriesDir)); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	if isFleet(run) {
		if err := writePages(folder, run); err != nil {
			return fmt.Errorf("html: %w", err)
		}
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return Encode(w, run) }); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return nil
}

// Encode writes the page for run to w. It depends only on run. For a
// fleet it is the fleet's page, whose links lead to the per-registry pages
// Write writes.
func Encode(w io.Writer, run *results.Run) error {
	if run == nil {
		return errors.New("html: no run")
	}
	v, err := pageView(run)
	if err != nil {
		return fmt.Errorf("html: %w", err)
	}
	if err := page.Execute(w, v); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return nil
}

// pageView is a fleet's page, or the page with every panel, built from
// the complete registries (at most InlineLimit of them in memory).
func pageView(run *results.Run) (view, error) {
	if isFleet(run) {
		return buildFleet(run), nil
	}
	if run.Details == nil {
		return build(run), nil
	}
	full := *run
	full.Registries = make([]results.Registry, 0, len(run.Registries))
	err := run.Each(func(_ int, reg *results.Registry) error {
		full.Registries = append(full.Registries, *reg)
		return nil
	})
	return build(&full), err
}

// The view model: every string is final text (cleaned), the template only
// places and escapes it.
type view struct {
	Title, Started, Duration, Version, Suite, Selection, ConfigFile, Schema string
	FailOn                                                                  string
	FailOnRegression, Incomplete                                            bool
	Total                                                                   int
	Failing                                                                 int
	Counts, Filters                                                         []sevCount
	Columns                                                                 []column
	Rows                                                                    []row
	Missing                                                                 []missing
	Leftovers                                                               []leftover
	Deviations                                                              []deviation
	Panels                                                                  []panel
	Trend                                                                   *trendView
	// Fallbacks is one line per registry and unsupported capability with
	// declared fallbacks (fallbacks.go).
	Fallbacks []fallbackLine
	// Clients is the client readiness per registry (clients.go).
	Clients []clientsView
	// Compact is a fleet's page (fleet.go): one short row per registry,
	// failures first, each registry's evidence on its own page; the lists
	// under the matrix cut, with how many more there are.
	Compact                                      bool
	FallbacksMore, DeviationsMore, LeftoversMore int
}

type sevCount struct {
	Severity string
	N        int
}

type column struct{ ID, Name, WhenMissing string }

type row struct {
	// Credentials names the source of what was presented, never a secret.
	Name, URL, Credentials, Score, Severity string
	Fails                                   bool
	Cells                                   []cell
	// Href is the registry's own page (Compact).
	Href string
	rank int // for the order of a Compact page: severity, worst first
}

type cell struct {
	ID, Status, Class, Word, Mark, Anchor, Change string
	// Asked is the probe's contrary word in verify mode, on a mismatch.
	Asked string
	// Deviations says how many rules of the spec the capability broke:
	// "1 deviation", "2 deviations"; empty without.
	Deviations string
}

// deviation is one rule of the spec a registry broke, as the page shows
// it: in the capability's panel and in the list of all of them.
type deviation struct {
	// Page is the registry's own page for a Compact one, else "".
	Page                                                           string
	Registry, ID, Anchor, Section, Rule, Scenario, Request, Answer string
	// Exchange is the evidence's number in the panel's exchange table,
	// from 1; 0 when no request showed it.
	Exchange int
}

type missing struct {
	Info       results.CapabilityInfo
	Registries []link
	More       int // registries not listed (Compact)
	Total      int // registries that lack it, listed or not
}

type link struct{ Page, Name, Anchor string }

type leftover struct{ Registry, What, URL, Reason string }

type panel struct {
	Anchor, Registry, ID, Name, Class, Word, WhenMissing, Reason, Source, Duration, About string
	// Verify mode: both verdicts, and the one-sentence explanation of a
	// mismatch.
	Probe, Verified, Explanation string
	Facts                        []results.Fact
	// Fallbacks words each declared fallback of an unsupported capability.
	Fallbacks  []string
	Deviations []deviation
	Remedy     *results.CapabilityInfo
	Change     *results.CapabilityChange
	Exchanges  []exchange
}

type exchange struct {
	N                                       int
	Method, URL, Answer, Attempts, Duration string
	Cleanup                                 bool
	Request, Response                       []string
	// Output is a client program's output (a command exchange: Method is
	// "$" and URL its command line); OutputNote says how much it wrote.
	Output, OutputNote string
}

type trendView struct {
	File, Started, Version string
	Lost, Gained           int
	Added, Removed         []string
	Rows                   []trendRow
}

type trendRow struct {
	Name, Score, Severity string
	Changes               []results.CapabilityChange
}

func build(run *results.Run) view {
	v := header(run)
	v.Counts, v.Filters = severityCounts(run)
	b := newBuilder(run)
	v.Columns = b.columns()
	for ri, reg := range run.Registries {
		r, panels := b.row(ri, reg)
		v.Rows = append(v.Rows, r)
		v.Panels = append(v.Panels, panels...)
		for _, l := range reg.Leftovers {
			v.Leftovers = append(v.Leftovers, leftover{Registry: r.Name, What: clean(l.What), URL: clean(l.URL), Reason: clean(l.Reason)})
		}
	}
	for _, p := range v.Panels {
		v.Deviations = append(v.Deviations, p.Deviations...)
	}
	v.Missing = b.missing()
	v.Fallbacks = fallbackLines(run)
	v.Clients = clientsViews(run)
	if run.Trend != nil {
		v.Trend = trend(run.Trend)
	}
	return v
}

// header is the run's metadata as the page's head shows it.
func header(run *results.Run) view {
	v := view{
		Version:          clean(run.Tool.Version),
		Suite:            clean(run.Suite),
		Selection:        clean(run.Selection),
		ConfigFile:       clean(run.ConfigFile),
		Schema:           results.SchemaVersion,
		FailOn:           string(run.Threshold()),
		FailOnRegression: run.FailOnRegression,
		Incomplete:       run.Incomplete,
		Total:            len(run.Registries),
		Failing:          len(run.Failing()),
		Duration:         fmt.Sprintf("%.1f s", float64(run.DurationMS)/1000),
	}
	if v.Version == "" {
		v.Version = "(unknown)"
	}
	v.Started = "(unknown)"
	if !run.StartedAt.IsZero() {
		v.Started = run.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	v.Title = fmt.Sprintf("ocicaps report: %d registr%s, %s", v.Total, results.Plural(v.Total, "y", "ies"), v.Started)
	return v
}

// severityCounts gives the non-empty counts, worst first, and one filter
// per severity (empty ones too, so the filter always has four boxes).
func severityCounts(run *results.Run) (counts, filters []sevCount) {
	n := map[results.Severity]int{}
	for _, reg := range run.Registries {
		n[reg.Severity]++
	}
	for _, s := range []results.Severity{results.Fail, results.Warn, results.Info, results.Pass} {
		filters = append(filters, sevCount{string(s), n[s]})
		if n[s] > 0 {
			counts = append(counts, sevCount{string(s), n[s]})
		}
	}
	return counts, filters
}

// builder holds what the rows, cells and panels of one page share.
type builder struct {
	run     *results.Run
	ids     []string
	infos   map[string]results.CapabilityInfo
	changes map[string]map[string]results.CapabilityChange
	// missingBy lists, per capability id, the registries that lack it.
	missingBy map[string][]link
}

func newBuilder(run *results.Run) *builder {
	b := &builder{
		run: run, ids: run.CapabilityIDs(),
		infos:     map[string]results.CapabilityInfo{},
		changes:   map[string]map[string]results.CapabilityChange{},
		missingBy: map[string][]link{},
	}
	for _, c := range run.Capabilities {
		if _, dup := b.infos[c.ID]; !dup {
			b.infos[c.ID] = c
		}
	}
	if run.Trend != nil {
		for _, r := range run.Trend.Registries {
			b.changes[r.Name] = map[string]results.CapabilityChange{}
			for _, c := range r.Changes {
				b.changes[r.Name][c.ID] = c
			}
		}
	}
	return b
}

func (b *builder) columns() []column {
	var cols []column
	for _, id := range b.ids {
		col := column{ID: clean(id)}
		if in, ok := b.infos[id]; ok {
			col.Name, col.WhenMissing = clean(in.Name), clean(string(in.SeverityWhenMissing))
		} else {
			// A run from a 1.0 file has no capability descriptions; the
			// registries' own copies still name the capability.
			for _, reg := range b.run.Registries {
				if c, ok := reg.Capability(id); ok {
					col.Name, col.WhenMissing = clean(c.Name), clean(string(c.SeverityWhenMissing))
					break
				}
			}
		}
		cols = append(cols, col)
	}
	return cols
}

// row is one registry's matrix row and the evidence panels of its cells.
func (b *builder) row(ri int, reg results.Registry) (row, []panel) {
	r := row{
		Name: clean(reg.Name), URL: clean(reg.URL), Credentials: clean(reg.Credentials),
		Score:    fmt.Sprintf("%d/%d", reg.Score, reg.MaxScore),
		Severity: clean(string(reg.Severity)),
		Fails:    reg.Severity.FailsAt(b.run.FailOn),
	}
	if r.Severity == "" {
		r.Severity = "none"
	}
	var panels []panel
	for _, id := range b.ids {
		c, ok := reg.Capability(id)
		if !ok {
			r.Cells = append(r.Cells, cell{ID: clean(id)})
			continue
		}
		anchor := "ev-" + strconv.Itoa(ri) + "-" + strconv.Itoa(index(reg, id))
		ce, p := b.cell(r.Name, reg.Name, anchor, c)
		r.Cells = append(r.Cells, ce)
		panels = append(panels, p)
	}
	return r, panels
}

// cell is one capability's matrix cell and its evidence panel.
func (b *builder) cell(name, rawName, anchor string, c results.Capability) (cell, panel) {
	w, known := words[c.Status]
	class := string(c.Status)
	if !known {
		// Summarize counts an unknown status as an error; so does the
		// page, and the panel shows the status as recorded.
		w, class = words[results.Error], string(results.Error)
	}
	ce := cell{ID: clean(c.ID), Status: clean(string(c.Status)), Class: class, Word: w.word, Mark: w.mark, Anchor: anchor}
	if c.Mismatch {
		ce.Asked = clean(string(c.Probe))
	}
	if n := len(c.Deviations); n > 0 {
		ce.Deviations = fmt.Sprintf("%d deviation%s", n, results.Plural(n, "", "s"))
	}
	ch, changed := b.changes[rawName][c.ID]
	if changed && (ch.Kind == results.ChangeLost || ch.Kind == results.ChangeGained) {
		ce.Change = string(ch.Kind)
	}
	p := panel{
		Anchor: anchor, Registry: name, ID: clean(c.ID), Name: clean(c.Name),
		Class: class, Word: w.word, Reason: clean(c.Reason), Source: clean(c.Source),
		Duration: strconv.FormatInt(c.DurationMS, 10),
	}
	if !known {
		p.Word = "error (status " + strconv.Quote(clean(string(c.Status))) + ")"
	}
	if changed {
		cc := cleanChange(ch)
		p.Change = &cc
	}
	b.fillPanel(&p, c)
	return ce, p
}

// fillPanel adds the verdicts, facts, description, remedy and exchanges.
func (b *builder) fillPanel(p *panel, c results.Capability) {
	if c.Verified != "" {
		p.Probe, p.Verified = clean(string(c.Probe)), clean(string(c.Verified))
		if p.Probe == "" {
			p.Probe = "(no probe scenario)"
		}
		if c.Mismatch {
			p.Explanation = clean(c.Explanation)
		}
	}
	for _, f := range c.Facts {
		p.Facts = append(p.Facts, results.Fact{Name: clean(f.Name), Value: clean(f.Value)})
	}
	p.Fallbacks = fallbackPhrases(c)
	p.Deviations = deviationViews(p, c)
	in, hasInfo := b.infos[c.ID]
	if hasInfo {
		p.About = clean(in.Description)
	}
	if c.Status == results.Unsupported {
		p.WhenMissing = string(c.EffectiveSeverity())
		remedy := cleanInfo(in)
		if !hasInfo {
			remedy = results.CapabilityInfo{ID: clean(c.ID), Source: clean(c.Source)}
		}
		p.Remedy = &remedy
		b.missingBy[c.ID] = append(b.missingBy[c.ID], link{Name: p.Registry, Anchor: p.Anchor})
	}
	for i, e := range c.Exchanges {
		p.Exchanges = append(p.Exchanges, exchangeView(i+1, e))
	}
}

// missing lists, per capability some registry lacks, what to do about it
// and who lacks it.
func (b *builder) missing() []missing {
	var out []missing
	for _, id := range b.ids {
		if regs := b.missingBy[id]; len(regs) > 0 {
			in, ok := b.infos[id]
			if !ok {
				in = results.CapabilityInfo{ID: id, Name: id}
			}
			out = append(out, missing{Info: cleanInfo(in), Registries: regs, Total: len(regs)})
		}
	}
	return out
}

func trend(t *results.Trend) *trendView {
	tv := &trendView{
		File: clean(t.Baseline.File), Version: clean(t.Baseline.ToolVersion),
		Lost: t.Lost, Gained: t.Gained,
		Added: cleanAll(t.Added), Removed: cleanAll(t.Removed),
	}
	if !t.Baseline.StartedAt.IsZero() {
		tv.Started = t.Baseline.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	for _, r := range t.ChangedRegistries() {
		tr := trendRow{Name: clean(r.Name)}
		tr.Score = fmt.Sprintf("%d/%d", r.Score, r.MaxScore)
		if r.ScoreChanged() {
			tr.Score = fmt.Sprintf("%d/%d → %d/%d", r.ScoreBefore, r.MaxScoreBefore, r.Score, r.MaxScore)
		}
		tr.Severity = clean(string(r.Severity))
		if r.SeverityChanged() {
			tr.Severity = clean(string(r.SeverityBefore)) + " → " + tr.Severity
		}
		for _, c := range r.Changes {
			tr.Changes = append(tr.Changes, cleanChange(c))
		}
		tv.Rows = append(tv.Rows, tr)
	}
	return tv
}

// cleanChange is a change as the page shows it: cleaned text, "not run"
// for a side that has no status.
func cleanChange(c results.CapabilityChange) results.CapabilityChange {
	c.ID, c.Reason = clean(c.ID), clean(c.Reason)
	c.Before, c.After = results.Status(c.Before.Word()), results.Status(c.After.Word())
	return c
}

func exchangeView(n int, e results.Exchange) exchange {
	if e.Command != nil {
		return commandView(n, e)
	}
	x := exchange{
		N: n, Method: clean(e.Method), URL: clean(e.URL), Cleanup: e.Cleanup,
		Attempts: strconv.Itoa(e.Attempts), Duration: strconv.FormatInt(e.DurationMS, 10),
		Request: headerLines(e.RequestHeaders), Response: headerLines(e.ResponseHeaders),
	}
	if e.Error != "" {
		x.Answer = "no answer: " + clean(e.Error)
	} else {
		x.Answer = strconv.Itoa(e.Status)
	}
	x.Answer += clean(e.Via()) // a followed redirect: where the answer came from
	if e.Note != "" {
		x.Answer += " (" + clean(e.Note) + ")" // what was odd about an answer that still counts
	}
	return x
}

// commandView shows a client program's run in the exchange table: its
// command line where a request's method and URL stand, how it ended where
// the status stands, and its output where the headers are.
func commandView(n int, e results.Exchange) exchange {
	c := e.Command
	x := exchange{
		N: n, Method: "$", URL: clean(c.Line()), Cleanup: e.Cleanup,
		Attempts: strconv.Itoa(e.Attempts), Duration: strconv.FormatInt(e.DurationMS, 10),
		Answer: clean(c.Ending()), Output: clean(c.Output),
		OutputNote: fmt.Sprintf("output, %d bytes", c.OutputBytes),
	}
	if int64(len(c.Output)) < c.OutputBytes {
		x.OutputNote = fmt.Sprintf("output, first %d of %d bytes", len(c.Output), c.OutputBytes)
	}
	if e.Error != "" {
		x.Answer = "no result: " + clean(e.Error)
	}
	return x
}

// headerLines renders headers as "Name: value" lines, sorted, one per
// value. The values are already redacted in the model.
func headerLines(h map[string][]string) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []string
	for _, k := range keys {
		for _, v := range h[k] {
			out = append(out, clean(k)+": "+clean(v))
		}
	}
	return out
}

// index is the position of the first capability with id, for the panel's
// anchor: positions are plain ASCII whatever the ids hold.
func index(reg results.Registry, id string) int {
	for i, c := range reg.Capabilities {
		if c.ID == id {
			return i
		}
	}
	return -1
}

func cleanInfo(in results.CapabilityInfo) results.CapabilityInfo {
	out := in
	out.ID, out.Name, out.Description, out.Source = clean(in.ID), clean(in.Name), clean(in.Description), clean(in.Source)
	out.SeverityWhenMissing = results.Severity(clean(string(in.SeverityWhenMissing)))
	out.CommonCauses = cleanAll(in.CommonCauses)
	out.HowToFix = cleanAll(in.HowToFix)
	return out
}

func cleanAll(in []string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = clean(s)
	}
	return out
}

// clean replaces invalid UTF-8 and control characters other than newline
// and tab with U+FFFD: html/template escapes markup, but a NUL or an ESC a
// registry sent back would still land in the page as is.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return '\uFFFD'
		}
		return r
	}, s)
}

// deviationViews are the panel's deviations, each pointing at its
// exchange in the panel's table.
func deviationViews(p *panel, c results.Capability) []deviation {
	var out []deviation
	for _, d := range c.Deviations {
		e := d.Evidence
		dv := deviation{Registry: p.Registry, ID: p.ID, Anchor: p.Anchor, Section: clean(d.Section), Rule: clean(d.Rule),
			Scenario: clean(e.Scenario), Answer: clean(e.Answer)}
		if e.Method != "" {
			dv.Request = clean(e.Method + " " + e.URL)
			if dv.Answer == "" {
				dv.Answer = strconv.Itoa(e.Status)
			}
		} else if e.Command != "" {
			dv.Request = clean("$ " + e.Command)
		}
		if e.Exchange >= 0 && e.Exchange < len(c.Exchanges) {
			dv.Exchange = e.Exchange + 1
		}
		out = append(out, dv)
	}
	return out
}
