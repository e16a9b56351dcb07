package historyreport

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"

	"github.com/ocicaps/ocicaps/history"
	"github.com/ocicaps/ocicaps/results"
)

//go:embed history.html.tmpl
var source string

var page = template.Must(template.New("history.html").Parse(source))

// The view model: every string is final text, the template only places and
// escapes it.
type htmlView struct {
	Window, Rules, Totals, Version, Schema, AsOf string
	Runs                                         []runView
	Attention                                    []attentionRow
	Registries                                   []registryView
}

type runView struct {
	N                                  int
	Short, Started, File, Tool, Schema string
	Incomplete                         bool
}

type attentionRow struct {
	Registry, ID, Name, Now, NowClass, Kind, Since, Verified, Reason string
	Changes                                                          int
	Stale                                                            bool
}

type registryView struct {
	Name, Anchor, Version string
	Cells                 []cellView
}

type cellView struct {
	ID, Name, Kind, Verified string
	Stale                    bool
	Points                   []pointView
}

type pointView struct{ Class, Mark, Title string }

// EncodeHTML writes history.html: the counts, the cells that need
// attention, then per registry the timeline of every capability, one column
// per run.
func EncodeHTML(w io.Writer, h *history.History) error {
	if err := page.Execute(w, buildHTML(h)); err != nil {
		return fmt.Errorf("history.html: %w", err)
	}
	return nil
}

func buildHTML(h *history.History) htmlView {
	v := htmlView{Window: window(h), Rules: rules(h), Totals: totals(h.Counts) + ".",
		Version: clean(h.Tool.Version), Schema: h.SchemaVersion, AsOf: "(no runs)"}
	if len(h.Runs) > 0 {
		v.AsOf = h.AsOf.UTC().Format(dateFormat)
	}
	for i, r := range h.Runs {
		v.Runs = append(v.Runs, runView{N: i + 1, Short: r.StartedAt.UTC().Format("01-02"),
			Started: r.StartedAt.UTC().Format(dateFormat), File: clean(r.File), Tool: clean(r.ToolVersion),
			Schema: clean(r.SchemaVersion), Incomplete: r.Incomplete})
	}
	for ri, r := range h.Registries {
		rv := registryView{Name: clean(r.Name), Anchor: fmt.Sprintf("reg-%d", ri+1), Version: clean(r.DistributionVersion)}
		for _, c := range r.Capabilities {
			rv.Cells = append(rv.Cells, cellHTML(h, c))
			if attention(c) {
				v.Attention = append(v.Attention, attentionHTML(r.Name, c))
			}
		}
		v.Registries = append(v.Registries, rv)
	}
	return v
}

func cellHTML(h *history.History, c history.Cell) cellView {
	cv := cellView{ID: clean(c.ID), Name: clean(c.Name), Kind: string(c.Kind), Verified: verified(c), Stale: c.Stale}
	for i, s := range c.Statuses {
		cls := "st-" + string(s)
		if s == "" {
			cls = "st-notrun"
		}
		cv.Points = append(cv.Points, pointView{Class: cls, Mark: mark(s),
			Title: fmt.Sprintf("run %d, %s: %s", i+1, h.Runs[i].StartedAt.UTC().Format(dateFormat), s.Word())})
	}
	return cv
}

func attentionHTML(reg string, c history.Cell) attentionRow {
	a := attentionRow{Registry: clean(reg), ID: clean(c.ID), Name: clean(c.Name), Now: c.Current.Word(),
		NowClass: "st-" + string(c.Current), Kind: string(c.Kind), Changes: c.Changes, Verified: verified(c), Stale: c.Stale}
	if c.Current != results.Supported {
		a.Reason = clean(c.Reason)
	}
	if c.Since != nil {
		a.Since = fmt.Sprintf("run %d, %s", c.Since.Run+1, date(c.Since))
	}
	return a
}

func verified(c history.Cell) string {
	s := date(c.LastVerified)
	if c.LastVerified != nil && c.LastVerified.ToolVersion != "" {
		s += " by ocicaps " + clean(c.LastVerified.ToolVersion)
	}
	return s
}
