package runner

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"
	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/suite"
)

// allRuns is what every scenario of a feature file runs (pickleRun of
// each pickle), in file order; nil if it does not parse.
func allRuns(content []byte, uri string) []string {
	newID := (&messages.Incrementing{}).NewId
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(content), newID)
	if err != nil || doc.Feature == nil {
		return nil
	}
	var out []string
	for _, p := range gherkin.Pickles(*doc, uri, newID) {
		out = append(out, pickleRun(p))
	}
	return out
}

// runsAt is what the scenario on line of a parsed feature runs.
func runsAt(pf *parsedFeature, line int) []string {
	var out []string
	for _, p := range pf.byLine[line] {
		out = append(out, pickleRun(p))
	}
	return out
}

// pickleRun is everything of a pickle that godog runs or hands to the
// hooks: its name, language and tags, and each step's type, text, doc
// string and table. Not its ids, URI or lines.
func pickleRun(p *messages.Pickle) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q %q", p.Name, p.Language)
	for _, t := range p.Tags {
		fmt.Fprintf(&b, " %q", t.Name)
	}
	for _, st := range p.Steps {
		fmt.Fprintf(&b, "\n%s %q", st.Type, st.Text)
		if a := st.Argument; a != nil {
			if d := a.DocString; d != nil {
				fmt.Fprintf(&b, " doc %q %q", d.MediaType, d.Content)
			}
			if t := a.DataTable; t != nil {
				for _, r := range t.Rows {
					b.WriteString(" |")
					for _, c := range r.Cells {
						fmt.Fprintf(&b, " %q", c.Value)
					}
				}
			}
		}
	}
	return b.String()
}

// Every scenario of the built-in suite gets a file of its own that godog
// runs exactly as it runs the scenario from the suite's file (the same
// names, tags, step texts, doc strings and tables), compacted: no blank or
// comment line is left outside doc strings.
func TestScenarioFilesSamePickles(t *testing.T) {
	s, problems := suite.Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	all := s.Select("")
	if len(all) < 40 {
		t.Fatalf("the built-in suite has %d scenarios, want all of them", len(all))
	}
	pk := parsePickles(all)
	sf := newScenarioFiles(all, pk)
	for _, sc := range all {
		name, ok := sf.path[sc.Ref()]
		if !ok {
			t.Errorf("%s: no file", sc.Ref())
			continue
		}
		if sf.ref[name] != sc.Ref() {
			t.Errorf("%s: its file %s maps back to %q", sc.Ref(), name, sf.ref[name])
		}
		data := sf.fs[name].Data
		want := runsAt(pk[sc.Feature], sc.Line)
		if got := allRuns(data, name); len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s runs\n%q\nfrom its file, want\n%q", sc.Ref(), got, want)
		}
		if bytes.Contains(data, []byte("\n\n")) && !bytes.Contains(data, []byte(`"""`)) && !bytes.Contains(data, []byte("```")) {
			t.Errorf("%s: blank lines left outside doc strings:\n%s", sc.Ref(), data)
		}
	}
}

// tricky has what the compaction must keep: a language line, a background
// and a rule with its own, blank and "#" lines inside doc strings of both
// kinds (and the other separator inside each), tables, an outline whose
// rows fill a doc string, and comments and blank lines everywhere else.
const tricky = `# language: en
# a comment before the feature
@capability:tricky @check:check.test @severity:warn
Feature: Tricky

  Some description.

  # a comment
  Background:
    Given I record "a" as "b"

  Scenario: Doc strings
    # a comment between steps

    When the request body is:
      """application/json

      # not a comment: content
      ` + "```" + `

      """
    And the request body is:
      ` + "```" + `

      """
      # content too
      ` + "```" + `
    Then the capability is supported when the status is 200

  Rule: A rule

    Background:
      Given I record "c" as "d"

    @tagged
    Scenario Outline: Rows <n>

      When I send a GET request to "/v2/<n>"
      # comment in the steps

      Then the capability is supported when the status is <s>

      Examples:
        # a comment in the table
        | n | s   |

        | a | 200 |
        | b | 404 |
`

// A file with all of that compacts to the same runs.
func TestCompactFeatureSameRuns(t *testing.T) {
	want := allRuns([]byte(tricky), "t.feature")
	if len(want) != 3 {
		t.Fatalf("the test feature parses to %d pickles, want 3", len(want))
	}
	doc := map[int]bool{}
	for l := range featurePickles([]byte(tricky), "t.feature").doc {
		doc[l] = true
	}
	got := compactFeature([]byte(tricky), doc)
	if r := allRuns(got, "t.feature"); !slices.Equal(r, want) {
		t.Errorf("compacted, the file runs\n%q\nwant\n%q\ncompacted:\n%s", r, want, got)
	}
	if bytes.Contains(got, []byte("# a comment")) {
		t.Errorf("comments are left:\n%s", got)
	}
}

// A description line that starts like a doc string is no doc string: the
// lines the compaction keeps are those of the doc strings the parser
// found, so the blank and "#" lines of the real one below stay.
func TestScenarioFilesDescriptionLikeDocString(t *testing.T) {
	const f = `@capability:odd @check:check.test @severity:warn
Feature: Odd

  Scenario: A description line that looks like a doc string
    """ is not one here

    When the request body is:
      """

      # content
      """
    Then the capability is supported when the status is 200
`
	s, problems := suite.Load(fstest.MapFS{"odd.feature": {Data: []byte(f)}}, "test")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	sc := s.Select("")
	if len(sc) != 1 {
		t.Fatalf("%d scenarios", len(sc))
	}
	pk := parsePickles(sc)
	want := runsAt(pk[sc[0].Feature], sc[0].Line)
	if len(want) != 1 || !strings.Contains(want[0], `"\n# content"`) {
		t.Fatalf("the test feature runs %q, want a doc string of a blank line and \"# content\"", want)
	}
	name := newScenarioFiles(sc, pk).path[sc[0].Ref()]
	data := newScenarioFiles(sc, pk).fs[name].Data
	if got := allRuns(data, name); !slices.Equal(got, want) {
		t.Errorf("runs %q, want %q; the file:\n%s", got, want, data)
	}
}
