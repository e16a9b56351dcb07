package runner

import (
	"bytes"
	"io/fs"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

// stepDefs are the step definitions godog is given, worked out once per
// run: those the selected probe scenarios need (registries in probe mode)
// and those all selected scenarios need (verify mode). godog matches every
// step against every registered definition, so registering the whole
// vocabulary for each registry cost a fleet 9 % of its CPU in regular
// expressions that could not match (docs/benchmarks.md).
type stepDefs struct{ probe, verify []*steps.Def }

func newStepDefs(scenarios []*suite.Scenario) stepDefs {
	return stepDefs{probe: steps.Needed(pickleTexts(probeScenarios(scenarios))), verify: steps.Needed(pickleTexts(scenarios))}
}

// onlyFS are the feature files godog is given, made once per run: for
// registries in probe mode, those of the selected probe scenarios with the
// other scenarios blanked; for verify mode, those of all selected
// scenarios (suite.Only); and without the features' descriptions unless
// godog writes cucumber JSON, its only output anybody reads. godog parsed
// every file again for each scenario it ran, with the scenarios it then
// left out.
type onlyFS struct{ probe, verify fs.FS }

func newOnlyFS(scenarios []*suite.Scenario, descriptions bool) onlyFS {
	return onlyFS{probe: suite.Only(probeScenarios(scenarios), descriptions), verify: suite.Only(scenarios, descriptions)}
}

func probeScenarios(scenarios []*suite.Scenario) []*suite.Scenario {
	var probe []*suite.Scenario
	for _, sc := range scenarios {
		if !sc.Verify {
			probe = append(probe, sc)
		}
	}
	return probe
}

// pickleTexts returns the texts of the steps godog runs for the scenarios:
// their pickles' steps, compiled by the gherkin package godog uses, so that
// outlines, backgrounds and rules come out exactly as godog sees them.
func pickleTexts(scenarios []*suite.Scenario) []string {
	lines := map[*suite.Feature]map[int]bool{}
	var features []*suite.Feature
	for _, sc := range scenarios {
		if lines[sc.Feature] == nil {
			lines[sc.Feature] = map[int]bool{}
			features = append(features, sc.Feature)
		}
		lines[sc.Feature][sc.Line] = true
	}
	var texts []string
	for _, f := range features {
		newID := (&messages.Incrementing{}).NewId
		doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(f.Content), newID)
		if err != nil || doc.Feature == nil {
			// It loaded once (suite.Load), so this does not happen; if it
			// did, the whole vocabulary is registered (steps.Needed(nil)).
			return nil
		}
		line := map[string]int{} // scenario AST id → its line
		for _, c := range doc.Feature.Children {
			if c.Scenario != nil {
				line[c.Scenario.Id] = int(c.Scenario.Location.Line)
			}
			if c.Rule != nil {
				for _, rc := range c.Rule.Children {
					if rc.Scenario != nil {
						line[rc.Scenario.Id] = int(rc.Scenario.Location.Line)
					}
				}
			}
		}
		for _, p := range gherkin.Pickles(*doc, f.File, newID) {
			if len(p.AstNodeIds) == 0 || !lines[f][line[p.AstNodeIds[0]]] {
				continue
			}
			for _, st := range p.Steps {
				texts = append(texts, st.Text)
			}
		}
	}
	return texts
}
