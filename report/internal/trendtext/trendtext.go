// Package trendtext words the changes since a baseline for the text
// writers (console, summary.md), so both say the same thing in the same
// order and differ only in escaping and arrows.
package trendtext

import (
	"fmt"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// Style is how a writer prints text: the arrow between before and after,
// the escaping of any text from the model, and of a change's reason (which
// a writer may also shorten).
type Style struct {
	Arrow  string
	Text   func(string) string
	Reason func(string) string
}

// Line is one entry of the changes list: the registry's name, escaped, and
// what changed.
type Line struct{ Name, What string }

// Lines words every entry of t; none means no changes.
func Lines(t *results.Trend, st Style) []Line {
	var out []Line
	for _, e := range t.Entries() {
		what := e.Note
		if e.Registry != nil {
			what = strings.Join(parts(*e.Registry, st), "; ")
		}
		out = append(out, Line{Name: st.Text(e.Name), What: what})
	}
	return out
}

func parts(r results.RegistryTrend, st Style) []string {
	var out []string
	for _, c := range r.Changes {
		p := fmt.Sprintf("%s %s (%s %s %s", c.Kind, st.Text(c.ID), st.Text(c.Before.Word()), st.Arrow, st.Text(c.After.Word()))
		if c.Reason != "" {
			p += ": " + st.Reason(c.Reason)
		}
		out = append(out, p+")")
	}
	if r.ScoreChanged() {
		out = append(out, fmt.Sprintf("score %d/%d %s %d/%d", r.ScoreBefore, r.MaxScoreBefore, st.Arrow, r.Score, r.MaxScore))
	}
	if r.SeverityChanged() {
		out = append(out, fmt.Sprintf("severity %s %s %s", st.Text(string(r.SeverityBefore)), st.Arrow, st.Text(string(r.Severity))))
	}
	return out
}
