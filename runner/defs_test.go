package runner

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/cucumber/godog"
	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

// outlineSuite has what pickles make of a feature beyond its scenarios'
// own lines: a background, a rule with its own background, and an outline
// whose steps are only known once its example rows are filled in.
var outlineSuite = fstest.MapFS{"x.feature": {Data: []byte(`@capability:x @check:c @severity:info
Feature: X
  Background:
    Given I send a GET request to "/v2/"

  Scenario: Plain
    Then the capability is supported when the status is 200

  Rule: A rule
    Background:
      Given the request header "X-A" is "b"

    Scenario: In the rule
      When I record the response status as "s"

  Scenario Outline: Outlined
    When I save <n> random bytes as "blob"
    Then the capability is supported when the status is <status>

    Examples:
      | n  | status |
      | 10 | 200    |
      | 20 | 401    |
`)}}

// The step definitions a run registers are every one godog can match: for
// each step of each pickle godog itself parses from the refs the runner
// gives it (file:line of every selected scenario), every definition of the
// whole vocabulary matching the step's text is among them. Were one
// missing, the step would run another definition or none.
func TestStepDefsCoverWhatGodogRuns(t *testing.T) {
	embedded, problems := suite.Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	outlined, problems := suite.Load(outlineSuite, "outlines")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	for _, s := range []*suite.Suite{embedded, outlined} {
		all := s.Select("")
		defs := newStepDefs(all, parsePickles(all))
		for _, mode := range []struct {
			name string
			defs []*steps.Def
			runs func(*suite.Scenario) bool
		}{
			{"probe", defs.probe, func(sc *suite.Scenario) bool { return !sc.Verify }},
			{"verify", defs.verify, func(*suite.Scenario) bool { return true }},
		} {
			var refs []string
			for _, sc := range all {
				if mode.runs(sc) {
					refs = append(refs, sc.Ref())
				}
			}
			if len(refs) == 0 {
				continue
			}
			if len(mode.defs) == 0 || len(mode.defs) >= len(steps.Vocabulary()) {
				t.Errorf("%s, %s: %d of %d step definitions registered, want fewer and some", s.Source, mode.name, len(mode.defs), len(steps.Vocabulary()))
			}
			fts, err := godog.TestSuite{Options: &godog.Options{FS: s.FS, Paths: refs}}.RetrieveFeatures()
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, ft := range fts {
				for _, p := range ft.Pickles {
					for _, st := range p.Steps {
						n++
						for _, d := range steps.Vocabulary() {
							if d.Matches(st.Text) && !slices.Contains(mode.defs, d) {
								t.Errorf("%s, %s: %s: step %q matches %q, which is not registered", s.Source, mode.name, p.Uri, st.Text, d.Pattern)
							}
						}
					}
				}
			}
			if n == 0 {
				t.Errorf("%s, %s: godog parsed no steps from %v", s.Source, mode.name, refs)
			}
		}
	}
}
