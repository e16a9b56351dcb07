package runner

import (
	"context"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/trend"
)

// plan is what Run works out from its Options before anything is probed,
// handed down to every registry's run: the registries as they will run
// (--verify applied), the run id, how many run at once, and the step
// definitions and feature files godog is given.
type plan struct {
	Options
	// registries are Options.Registries in the mode each runs in.
	registries []config.Registry
	parallel   int         // registries at once at most
	running    int         // registries running at once: parallel, or fewer
	defs       stepDefs    // the step definitions godog is given
	only       onlyFS      // the feature files godog is given
	clients    *clientPlan // client readiness (--clients), nil without
}

func newPlan(opt Options) *plan {
	p := &plan{Options: opt, parallel: opt.Parallel}
	if p.RunID == "" {
		p.RunID = NewRunID()
	}
	if p.parallel <= 0 {
		p.parallel = DefaultParallel
	}
	p.registries = make([]config.Registry, len(opt.Registries))
	for i, reg := range opt.Registries {
		reg.Mode = opt.Mode(reg)
		p.registries[i] = reg
	}
	p.running = min(p.parallel, len(p.registries))
	p.defs = newStepDefs(opt.Scenarios)
	p.only = newOnlyFS(opt.Scenarios, opt.Cucumber != nil)
	p.clients = newClientPlan(opt)
	return p
}

// start is the results model of the run about to start: what is known
// before any registry runs.
func (p *plan) start() *results.Run {
	return &results.Run{
		SchemaVersion: results.SchemaVersion,
		Tool:          results.Tool{Name: "ocicaps", Version: p.Version},
		StartedAt:     time.Now().UTC(),
		ConfigFile:    p.ConfigFile,
		Suite:         p.Suite.Source,
		Selection:     p.Selection,
		Capabilities:  Infos(p.Scenarios),
		Registries:    make([]results.Registry, len(p.registries)),
		Shard:         p.Shard,
		FailOn:        p.FailOn,

		FailOnRegression: p.FailOnRegression,
	}
}

// finish completes the model once every registry ran: the times, whether
// the run was cut short, each registry's index in the file, and the trend
// against the baseline.
func (p *plan) finish(ctx context.Context, run *results.Run) {
	run.FinishedAt = time.Now().UTC()
	run.DurationMS = run.FinishedAt.Sub(run.StartedAt).Milliseconds()
	run.Incomplete = ctx.Err() != nil
	p.number(run)
	if p.Baseline != nil {
		run.Trend = trend.Compare(p.Baseline, run, p.BaselineFile)
	}
}

// number sets each registry's index: its position in the file's list
// (Listed), so that shards of one list keep one numbering and merge can
// restore the file's order.
func (p *plan) number(run *results.Run) {
	listed := p.Listed
	if listed == nil {
		listed = p.Registries
	}
	pos := make(map[string]int, len(listed))
	for i, r := range listed {
		pos[r.Name] = i
	}
	for i := range run.Registries {
		run.Registries[i].Index = pos[run.Registries[i].Name]
	}
}
