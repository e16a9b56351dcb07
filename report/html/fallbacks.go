package html

import (
	"strconv"
	"strings"

	"github.com/ocicaps/ocicaps/report/internal/fallbacktext"
	"github.com/ocicaps/ocicaps/results"
)

// fallbackLine is one line of the page's fallbacks section: a registry,
// the evidence panel of its unsupported capability, and what its declared
// fallbacks did there.
type fallbackLine struct{ Page, Registry, Anchor, Line string }

// fallbackLines are the section's lines, registries in run order and
// capabilities in theirs.
func fallbackLines(run *results.Run) []fallbackLine {
	var out []fallbackLine
	for ri, reg := range run.Registries {
		for i, c := range reg.Capabilities {
			if index(reg, c.ID) != i {
				continue // a duplicated id has one panel, the first
			}
			if l := fallbacktext.Line(c, oneLine); l != "" {
				out = append(out, fallbackLine{
					Registry: clean(reg.Name), Line: l,
					Anchor: "ev-" + strconv.Itoa(ri) + "-" + strconv.Itoa(i),
				})
			}
		}
	}
	return out
}

// fallbackPhrases word each fallback of c for its panel.
func fallbackPhrases(c results.Capability) []string {
	var out []string
	for _, f := range c.Fallbacks {
		out = append(out, fallbacktext.Phrase(f, oneLine))
	}
	return out
}

// oneLine is clean text on one line: a fallback is one line in every report.
func oneLine(s string) string { return lineBreaks.Replace(clean(s)) }

var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
