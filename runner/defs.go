package runner

import (
	"io/fs"

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

func newStepDefs(scenarios []*suite.Scenario, pk pickles) stepDefs {
	return stepDefs{probe: steps.Needed(pk.texts(probeScenarios(scenarios))), verify: steps.Needed(pk.texts(scenarios))}
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
