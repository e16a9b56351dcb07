package runner

import (
	"context"
	"testing"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/suite"
)

// --verify is applied when the plan is made, to the plan's copy: the
// caller's registries keep their modes.
func TestPlanAppliesVerify(t *testing.T) {
	regs := []config.Registry{{Name: "a", Mode: config.ModeProbe}, {Name: "b", Mode: config.ModeVerify}}
	s := &suite.Suite{Source: "embedded"}
	for _, verify := range []bool{false, true} {
		p := newPlan(Options{Registries: regs, Suite: s, Verify: verify, Parallel: 1})
		want := []string{config.ModeProbe, config.ModeVerify}
		if verify {
			want[0] = config.ModeVerify
		}
		for i, r := range p.registries {
			if r.Mode != want[i] {
				t.Errorf("verify %v: %s runs in %s, want %s", verify, r.Name, r.Mode, want[i])
			}
		}
		if regs[0].Mode != config.ModeProbe {
			t.Fatal("the plan changed the caller's registries")
		}
		if p.RunID == "" || p.running != 1 {
			t.Errorf("run id %q, running %d", p.RunID, p.running)
		}
	}
}

// The model is complete when the plan finishes it: how the run was asked,
// each registry's index in the file's list, the trend against a baseline.
func TestPlanCompletesTheModel(t *testing.T) {
	listed := []config.Registry{{Name: "x"}, {Name: "a"}, {Name: "y"}, {Name: "b"}}
	shard := &results.Shard{Index: 2, Count: 2, Total: 4}
	baseline := &results.Run{Registries: []results.Registry{{Name: "a", Capabilities: []results.Capability{{ID: "delete", Status: results.Supported}}}}}
	p := newPlan(Options{
		Registries: []config.Registry{listed[1], listed[3]}, Listed: listed, Suite: &suite.Suite{Source: "embedded"},
		Shard: shard, FailOn: results.Warn, FailOnRegression: true, Baseline: baseline, BaselineFile: "old.json",
	})
	run := p.start()
	run.Registries[0] = results.Registry{Name: "a", Capabilities: []results.Capability{{ID: "delete", Status: results.Unsupported}}}
	run.Registries[1] = results.Registry{Name: "b"}
	p.finish(context.Background(), run)
	if run.Shard != shard || run.FailOn != results.Warn || !run.FailOnRegression {
		t.Errorf("shard %v failOn %q regression %v", run.Shard, run.FailOn, run.FailOnRegression)
	}
	if run.Registries[0].Index != 1 || run.Registries[1].Index != 3 {
		t.Errorf("indexes %d, %d, want 1, 3 (positions in the file)", run.Registries[0].Index, run.Registries[1].Index)
	}
	if run.Trend == nil || run.Trend.Baseline.File != "old.json" || run.Trend.Lost == 0 {
		t.Errorf("trend %+v, want delete lost against old.json", run.Trend)
	}
	if run.SchemaVersion != results.SchemaVersion || run.FinishedAt.IsZero() || run.Incomplete {
		t.Errorf("run %+v", run)
	}
}
