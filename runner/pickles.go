package runner

import (
	"bytes"
	"strings"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"
	"github.com/ocicaps/ocicaps/suite"
)

// pickles are the pickles of the features of a run's scenarios, compiled
// by the gherkin package godog uses, so that outlines, backgrounds and
// rules come out exactly as godog sees them: by feature, then by scenario
// line, with the lines of the feature's doc strings. Parsed once per run
// for everything the plan needs them for (the step definitions to
// register, each scenario's file for godog); a feature that does not parse
// has none.
type pickles map[*suite.Feature]*parsedFeature

type parsedFeature struct {
	byLine map[int][]*messages.Pickle // by their scenario's line
	// doc are the lines of doc strings, separators included, each with
	// the line of its scenario (0: a background's)
	doc map[int]int
}

func parsePickles(scenarios []*suite.Scenario) pickles {
	pk := pickles{}
	for _, sc := range scenarios {
		if _, done := pk[sc.Feature]; !done {
			pk[sc.Feature] = featurePickles(sc.Feature.Content, sc.Feature.File)
		}
	}
	return pk
}

// featurePickles parses a feature file: its pickles (one per scenario, one
// per Examples row of an outline) by their scenario's line, and where its
// doc strings are; nil if it does not parse.
func featurePickles(content []byte, uri string) *parsedFeature {
	newID := (&messages.Incrementing{}).NewId
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(content), newID)
	if err != nil || doc.Feature == nil {
		return nil
	}
	out := &parsedFeature{byLine: map[int][]*messages.Pickle{}, doc: map[int]int{}}
	line := map[string]int{} // scenario AST id → its line
	scenario := func(sc *messages.Scenario) {
		if sc != nil {
			line[sc.Id] = int(sc.Location.Line)
			out.docLines(sc.Steps, int(sc.Location.Line))
		}
	}
	background := func(bg *messages.Background) {
		if bg != nil {
			out.docLines(bg.Steps, 0)
		}
	}
	for _, c := range doc.Feature.Children {
		scenario(c.Scenario)
		background(c.Background)
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				scenario(rc.Scenario)
				background(rc.Background)
			}
		}
	}
	for _, p := range gherkin.Pickles(*doc, uri, newID) {
		if len(p.AstNodeIds) > 0 {
			l := line[p.AstNodeIds[0]]
			out.byLine[l] = append(out.byLine[l], p)
		}
	}
	return out
}

// docLines notes the lines of the steps' doc strings for owner: the opening
// separator, one line per line of content, the closing separator. (An
// empty content is taken for no line, where it may have been one blank
// line: either way the doc string is empty, and the blank line may go.)
func (pf *parsedFeature) docLines(steps []*messages.Step, owner int) {
	for _, st := range steps {
		d := st.DocString
		if d == nil || d.Location == nil {
			continue
		}
		n := 0
		if d.Content != "" {
			n = strings.Count(d.Content, "\n") + 1
		}
		from := int(d.Location.Line)
		for l := from; l <= from+n+1; l++ {
			pf.doc[l] = owner
		}
	}
}

// texts returns the texts of the steps godog runs for the scenarios, or
// nil if a feature of theirs did not parse (it loaded once, suite.Load, so
// this does not happen; if it did, the whole vocabulary is registered:
// steps.Needed(nil)).
func (pk pickles) texts(scenarios []*suite.Scenario) []string {
	var texts []string
	for _, sc := range scenarios {
		pf := pk[sc.Feature]
		if pf == nil {
			return nil
		}
		for _, p := range pf.byLine[sc.Line] {
			for _, st := range p.Steps {
				texts = append(texts, st.Text)
			}
		}
	}
	return texts
}
