package trend

import (
	"reflect"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/results"
)

func reg(name string, statuses ...string) results.Registry {
	r := results.Registry{Name: name}
	for i := 0; i+1 < len(statuses); i += 2 {
		r.Capabilities = append(r.Capabilities, results.Capability{
			ID: statuses[i], Status: results.Status(statuses[i+1]), SeverityWhenMissing: results.Warn, Reason: "why " + statuses[i],
		})
	}
	results.Summarize(&r)
	return r
}

func TestCompare(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	base := &results.Run{
		StartedAt: start, Tool: results.Tool{Version: "v1"},
		Registries: []results.Registry{
			reg("same", "a", "supported", "b", "unsupported"),
			reg("worse", "a", "supported", "b", "supported", "c", "unsupported", "old", "supported"),
			reg("better", "a", "error", "b", "unsupported"),
			reg("removed", "a", "supported"),
		},
	}
	cur := &results.Run{Registries: []results.Registry{
		reg("added", "a", "supported"),
		reg("better", "a", "supported", "b", "supported"),
		reg("worse", "a", "error", "b", "unsupported", "c", "error", "new", "unsupported"),
		reg("same", "a", "supported", "b", "unsupported"),
	}}
	tr := Compare(base, cur, "prev/results.json")
	if tr.Baseline != (results.Baseline{File: "prev/results.json", StartedAt: start, ToolVersion: "v1"}) {
		t.Errorf("baseline = %+v", tr.Baseline)
	}
	if !reflect.DeepEqual(tr.Added, []string{"added"}) || !reflect.DeepEqual(tr.Removed, []string{"removed"}) {
		t.Errorf("added %v removed %v", tr.Added, tr.Removed)
	}
	if tr.Lost != 2 || tr.Gained != 2 {
		t.Errorf("lost %d gained %d, want 2 2", tr.Lost, tr.Gained)
	}
	var names []string
	for _, r := range tr.Registries {
		names = append(names, r.Name)
	}
	if !reflect.DeepEqual(names, []string{"better", "worse", "same"}) {
		t.Errorf("registries in current order = %v", names)
	}
	worse := tr.Registries[1]
	want := []results.CapabilityChange{
		{ID: "a", Kind: results.ChangeLost, Before: results.Supported, After: results.Error, Reason: "why a"},
		{ID: "b", Kind: results.ChangeLost, Before: results.Supported, After: results.Unsupported, Reason: "why b"},
		{ID: "c", Kind: results.ChangeOther, Before: results.Unsupported, After: results.Error, Reason: "why c"},
		{ID: "new", Kind: results.ChangeNew, After: results.Unsupported, Reason: "why new"},
		{ID: "old", Kind: results.ChangeDropped, Before: results.Supported},
	}
	if !reflect.DeepEqual(worse.Changes, want) {
		t.Errorf("changes of worse:\n got %+v\nwant %+v", worse.Changes, want)
	}
	if worse.ScoreBefore != 3 || worse.MaxScoreBefore != 4 || worse.Score != 0 || worse.MaxScore != 4 ||
		worse.SeverityBefore != results.Warn || worse.Severity != results.Fail || !worse.Changed() {
		t.Errorf("worse = %+v", worse)
	}
	better := tr.Registries[0]
	if len(better.Changes) != 2 || better.Changes[0].Kind != results.ChangeGained || better.Changes[0].Reason != "" {
		t.Errorf("better = %+v", better.Changes)
	}
	same := tr.Registries[2]
	if len(same.Changes) != 0 || same.Changed() {
		t.Errorf("same changed: %+v", same)
	}
	if got := Regressions(tr); !reflect.DeepEqual(got, []string{"worse: a", "worse: b"}) {
		t.Errorf("regressions = %v", got)
	}
	if Regressions(nil) != nil {
		t.Error("regressions of no trend")
	}
}

func TestCompareIdenticalRuns(t *testing.T) {
	r := &results.Run{Registries: []results.Registry{reg("x", "a", "supported", "b", "unsupported")}}
	tr := Compare(r, r, "r.json")
	if tr.Lost != 0 || tr.Gained != 0 || len(tr.Added) != 0 || len(tr.Removed) != 0 || tr.Registries[0].Changed() {
		t.Errorf("identical runs differ: %+v", tr)
	}
}
