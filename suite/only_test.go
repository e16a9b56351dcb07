package suite

import (
	"bytes"
	"fmt"
	"io/fs"
	"reflect"
	"testing"
	"testing/fstest"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"
	"github.com/ocicaps/ocicaps/features"
)

// mixed has what blanking must get right: tags over a scenario, comments
// between and inside scenarios, a doc string holding a "#" line, a rule
// with its own background, an outline and its examples, and no final
// newline.
var mixed = fstest.MapFS{"m.feature": {Data: []byte(`# language: en
@capability:m @check:c @severity:info
Feature: M
  About it.

  Background:
    Given I send a GET request to "/v2/"

  @one
  Scenario: First
    # a comment in the first
    Then the capability is supported when the status is 200

  # a comment between
  @verify @two
  Scenario: Second
    Given the request body is:
      """
      # not a comment
      """
    Then the capability is supported when the status is 201

  Rule: R
    Background:
      Given the request header "X" is "y"

    Scenario: In the rule
      Then the capability is supported when the status is 202

  Scenario Outline: Outlined
    Then the capability is supported when the status is <s>

    Examples:
      | s   |
      | 203 |
      | 204 |`)}}

// Blanking the other scenarios (and the description, when asked) leaves
// what gherkin makes of the kept ones as it was: every pickle (name,
// steps, doc strings, tables) of a kept scenario at the same lines, none
// of the others, and the feature's name, tags, comments and (unless
// blanked) description. That is what godog reports from.
func TestOnlyKeepsWhatGodogReads(t *testing.T) {
	embedded, problems := Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	m, problems := Load(mixed, "mixed")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	cases := 0
	for _, s := range []*Suite{embedded, m} {
		for _, f := range s.Features {
			var subsets [][]*Scenario
			for _, sc := range f.Scenarios {
				subsets = append(subsets, []*Scenario{sc})
			}
			var probes []*Scenario
			for _, sc := range f.Scenarios {
				if !sc.Verify {
					probes = append(probes, sc)
				}
			}
			subsets = append(subsets, probes, f.Scenarios)
			for _, keep := range subsets {
				if len(keep) == 0 {
					continue
				}
				for _, descriptions := range []bool{true, false} {
					cases++
					data, err := fs.ReadFile(Only(keep, descriptions), f.File)
					if err != nil {
						t.Fatal(err)
					}
					if bytes.Count(data, []byte("\n")) != bytes.Count(f.Content, []byte("\n")) {
						t.Errorf("%s: %d lines, want %d", f.File, bytes.Count(data, []byte("\n")), bytes.Count(f.Content, []byte("\n")))
					}
					wantDoc, want := read(t, f.File, f.Content, keep)
					gotDoc, got := read(t, f.File, data, nil)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s, keeping %v: pickles\n%v\nwant\n%v", f.File, lines(keep), got, want)
					}
					w := featureOf(wantDoc)
					if !descriptions {
						w[2] = ""
					}
					if g := featureOf(gotDoc); !reflect.DeepEqual(g, w) {
						t.Errorf("%s, keeping %v, descriptions %v: feature\n%q\nwant\n%q", f.File, lines(keep), descriptions, g, w)
					}
				}
			}
		}
	}
	if cases < 10 {
		t.Errorf("only %d cases", cases)
	}
}

type pickle struct {
	Name, Scenario string
	Steps          []string
}

// read parses a feature file as godog does and returns its pickles as
// godog's cucumber JSON reports them (scenario line, keyword, description
// and tags; each step's keyword, text, doc string, table and line): those of the
// scenarios in keep, or all of them if keep is nil, so that a scenario
// left in shows.
func read(t *testing.T, file string, data []byte, keep []*Scenario) (*messages.GherkinDocument, []pickle) {
	t.Helper()
	newID := (&messages.Incrementing{}).NewId
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(data), newID)
	if err != nil {
		t.Fatalf("%s: %v\n%s", file, err, data)
	}
	nodes := map[string]*messages.Step{}
	scenarios := map[string]*messages.Scenario{}
	var walk func([]*messages.FeatureChild)
	addSteps := func(ss []*messages.Step) {
		for _, s := range ss {
			nodes[s.Id] = s
		}
	}
	walk = func(cs []*messages.FeatureChild) {
		for _, c := range cs {
			if c.Background != nil {
				addSteps(c.Background.Steps)
			}
			if c.Scenario != nil {
				addSteps(c.Scenario.Steps)
				scenarios[c.Scenario.Id] = c.Scenario
			}
			if c.Rule != nil {
				for _, rc := range c.Rule.Children {
					walk([]*messages.FeatureChild{{Background: rc.Background, Scenario: rc.Scenario}})
				}
			}
		}
	}
	walk(doc.Feature.Children)
	keepLine := map[int64]bool{}
	for _, sc := range keep {
		keepLine[int64(sc.Line)] = true
	}
	var out []pickle
	for _, p := range gherkin.Pickles(*doc, file, newID) {
		sc := scenarios[p.AstNodeIds[0]]
		if keep != nil && !keepLine[sc.Location.Line] {
			continue
		}
		pk := pickle{Name: p.Name, Scenario: fmt.Sprintf("%s: %d %q", sc.Keyword, sc.Location.Line, sc.Description)}
		for _, tag := range sc.Tags {
			pk.Scenario += fmt.Sprintf(" %s@%d", tag.Name, tag.Location.Line)
		}
		for _, st := range p.Steps {
			s := nodes[st.AstNodeIds[0]]
			text := s.Keyword + st.Text
			if st.Argument != nil && st.Argument.DocString != nil {
				text += "\n" + st.Argument.DocString.Content
			}
			if st.Argument != nil && st.Argument.DataTable != nil {
				for _, row := range st.Argument.DataTable.Rows {
					for _, c := range row.Cells {
						text += " |" + c.Value
					}
				}
			}
			pk.Steps = append(pk.Steps, fmt.Sprintf("%s @%d", text, s.Location.Line))
		}
		out = append(out, pk)
	}
	return doc, out
}

func featureOf(doc *messages.GherkinDocument) []string {
	f := doc.Feature
	out := []string{f.Keyword, f.Name, f.Description, fmt.Sprint(f.Location.Line)}
	for _, t := range f.Tags {
		out = append(out, fmt.Sprintf("%s@%d", t.Name, t.Location.Line))
	}
	for _, c := range doc.Comments {
		out = append(out, fmt.Sprintf("%s@%d", c.Text, c.Location.Line))
	}
	return out
}

func lines(scs []*Scenario) []int {
	var out []int
	for _, sc := range scs {
		out = append(out, sc.Line)
	}
	return out
}
