package results_test

import (
	"fmt"

	"github.com/ocicaps/ocicaps/results"
)

// A writer or a tool of one's own builds a registry's verdicts and lets
// Summarize score them: supported capabilities count, and the worst
// effective severity becomes the registry's.
func ExampleSummarize() {
	reg := results.Registry{Name: "zoo-distribution", Capabilities: []results.Capability{
		{ID: "distribution-version", Status: results.Supported,
			Facts: []results.Fact{{Name: "distribution version", Value: "registry/2.0"}}},
		{ID: "referrers", Status: results.Unsupported, SeverityWhenMissing: results.Warn},
		{ID: "delete", Status: results.Unsupported, SeverityWhenMissing: results.Info},
	}}
	results.Summarize(&reg)
	fmt.Println(reg.Score, reg.MaxScore, reg.Severity, reg.DistributionVersion)
	// Output: 1 3 warn registry/2.0
}

// Failing applies the run's --fail-on threshold; an unset one means fail,
// so a run only fails on findings when asked to.
func ExampleRun_Failing() {
	run := &results.Run{Registries: []results.Registry{
		{Name: "old", Severity: results.Warn},
		{Name: "down", Severity: results.Fail},
		{Name: "good", Severity: results.Pass},
	}}
	fmt.Println(run.Threshold(), run.Failing())
	run.FailOn = results.Warn
	fmt.Println(run.Threshold(), run.Failing())
	// Output:
	// fail [down]
	// warn [old down]
}

// A registry that never answered (every request refused) is said once by
// the console, with the first capability's reason standing for all.
func ExampleRegistry_Unreachable() {
	refused := results.Exchange{Method: "GET", URL: "http://127.0.0.1:1/v2/", Error: "connection refused"}
	reg := results.Registry{Capabilities: []results.Capability{
		{ID: "distribution-version", Status: results.Error, Reason: "GET /v2/: connection refused", Exchanges: []results.Exchange{refused}},
		{ID: "referrers", Status: results.Error, Reason: "HEAD manifest: connection refused", Exchanges: []results.Exchange{refused}},
	}}
	fmt.Println(reg.Unreachable())
	reg.Capabilities[1].Exchanges[0] = results.Exchange{Method: "HEAD", Status: 503}
	fmt.Println(reg.Unreachable())
	// Output:
	// GET /v2/: connection refused true
	//  false
}

// Entries is the changes list every writer prints, in one order: changed
// registries, then added, then removed.
func ExampleTrend_Entries() {
	t := &results.Trend{
		Registries: []results.RegistryTrend{
			{Name: "same", Score: 5, MaxScore: 5, ScoreBefore: 5, MaxScoreBefore: 5},
			{Name: "worse", Score: 4, MaxScore: 5, ScoreBefore: 5, MaxScoreBefore: 5, Changes: []results.CapabilityChange{
				{ID: "referrers", Kind: results.ChangeLost, Before: results.Supported, After: results.Unsupported}}},
		},
		Added: []string{"new"}, Removed: []string{"retired"},
	}
	for _, e := range t.Entries() {
		if e.Registry != nil {
			c := e.Registry.Changes[0]
			fmt.Printf("%s: %s %s (%s -> %s)\n", e.Name, c.Kind, c.ID, c.Before.Word(), c.After.Word())
			continue
		}
		fmt.Printf("%s: %s\n", e.Name, e.Note)
	}
	// Output:
	// worse: lost referrers (supported -> unsupported)
	// new: added (not in the baseline)
	// retired: removed (only in the baseline)
}
