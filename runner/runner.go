// Package runner runs a suite against registries: one godog run per
// registry, in parallel, each scenario's outcome folded into the results
// model with its score and severity. It never formats output.
package runner

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

// DefaultParallel is how many registries run at once unless told otherwise.
// A registry's run is a chain of round trips that keeps one connection and
// little CPU busy, so a fleet's wall time falls with parallelism until every
// registry runs at once: on 2 cores, 100 registries with 25 ms of latency
// took 3.2 s at 8, 1.0 s at 32 and 0.5 s at 100, at 31, 37 and 51 MiB peak
// (docs/benchmarks.md). 100 keeps a fleet of that size in one wave while
// bounding memory and open connections for larger ones.
const DefaultParallel = 100

// Options describe one run.
type Options struct {
	Registries []config.Registry
	Suite      *suite.Suite
	// Scenarios are the selected scenarios of Suite, in suite order.
	Scenarios []*suite.Scenario
	// Selection describes how they were chosen, for the record.
	Selection  string
	ConfigFile string
	Parallel   int
	Version    string
	// Started, when set, is called as each registry starts, once it has a
	// parallel slot (any goroutine; calls are serialized with Finished).
	Started func(config.Registry)
	// Finished, when set, is called as each registry finishes (any
	// goroutine; calls are serialized).
	Finished func(results.Registry)
}

// Run probes every registry and returns the results. Registry failures are
// verdicts in the results, not errors; the error is for a run that cannot
// start (nothing selected).
func Run(ctx context.Context, opt Options) (*results.Run, error) {
	scenarios := opt.Scenarios
	if len(scenarios) == 0 {
		return nil, fmt.Errorf("no scenario matches the selection %q; `ocicaps list` shows the checks and tags", opt.Selection)
	}
	run := &results.Run{
		SchemaVersion: results.SchemaVersion,
		Tool:          results.Tool{Name: "ocicaps", Version: opt.Version},
		StartedAt:     time.Now().UTC(),
		ConfigFile:    opt.ConfigFile,
		Suite:         opt.Suite.Source,
		Selection:     opt.Selection,
		Registries:    make([]results.Registry, len(opt.Registries)),
	}
	par := opt.Parallel
	if par <= 0 {
		par = DefaultParallel
	}
	// par workers take the registries in config order, so that the first
	// entries start first whatever the parallelism; each result lands at
	// its own index, so the report's order never depends on timing.
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range min(par, len(opt.Registries)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				reg := opt.Registries[i]
				if opt.Started != nil {
					mu.Lock()
					opt.Started(reg)
					mu.Unlock()
				}
				r := runRegistry(ctx, opt, reg, scenarios)
				run.Registries[i] = r
				if opt.Finished != nil {
					mu.Lock()
					opt.Finished(r)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range opt.Registries {
		next <- i
	}
	close(next)
	wg.Wait()
	run.FinishedAt = time.Now().UTC()
	run.DurationMS = run.FinishedAt.Sub(run.StartedAt).Milliseconds()
	run.Incomplete = ctx.Err() != nil
	return run, nil
}

// capabilities builds the empty capability list of the selection, in suite
// order, one entry per feature.
func capabilities(scenarios []*suite.Scenario) ([]results.Capability, map[*suite.Feature]int) {
	var caps []results.Capability
	index := map[*suite.Feature]int{}
	for _, sc := range scenarios {
		f := sc.Feature
		if _, ok := index[f]; ok {
			continue
		}
		index[f] = len(caps)
		caps = append(caps, results.Capability{
			ID: f.Capability, Check: f.Check, Name: f.Name, SeverityWhenMissing: f.Severity,
			Source: fmt.Sprintf("%s:%d", f.File, f.Line),
		})
	}
	return caps, index
}

func runRegistry(ctx context.Context, opt Options, reg config.Registry, scenarios []*suite.Scenario) results.Registry {
	start := time.Now()
	out := results.Registry{Name: reg.Name, URL: reg.URL, TestRepository: reg.TestRepository, TestTag: reg.TestTag}
	caps, index := capabilities(scenarios)
	seen := make([]int, len(caps)) // scenarios reported per capability
	byRef := map[string]*suite.Scenario{}
	var refs []string
	for _, sc := range scenarios {
		byRef[sc.Ref()] = sc
		refs = append(refs, sc.Ref())
	}
	// The registry's deadline bounds its scenarios; clean-ups run on a
	// detached context (steps.CleanupTimeout) so they happen even then.
	ctx, cancel := context.WithTimeoutCause(ctx, reg.Timeouts.Registry,
		fmt.Errorf("the registry's deadline passed (timeouts.registry: %s)", reg.Timeouts.Registry))
	defer cancel()
	cl, err := client.New(reg.URL, clientOptions(reg))
	if err != nil {
		for i := range caps {
			caps[i].Status, caps[i].Reason = results.Error, err.Error()
		}
		return finish(out, caps, start)
	}
	defer cl.Close()
	target := &steps.Target{Registry: reg, Client: cl}
	var mu sync.Mutex
	report := func(p *godog.Scenario, o steps.Outcome) {
		mu.Lock()
		defer mu.Unlock()
		sc, ok := byRef[p.Uri]
		if !ok {
			return
		}
		i := index[sc.Feature]
		merge(&caps[i], seen[i], o)
		seen[i]++
		out.Leftovers = append(out.Leftovers, o.Leftovers...)
	}
	ts := godog.TestSuite{
		Name:                reg.Name,
		ScenarioInitializer: func(sc *godog.ScenarioContext) { steps.Register(sc, target, report) },
		Options: &godog.Options{
			FS:     opt.Suite.FS,
			Paths:  refs,
			Format: "progress",
			// Outcomes are collected from the hooks; godog's own text is
			// not part of any report.
			Output:         io.Discard,
			NoColors:       true,
			Strict:         true,
			Concurrency:    1,
			DefaultContext: ctx,
		},
	}
	ts.Run()
	for i := range caps {
		if seen[i] == 0 {
			caps[i].Status = results.Error
			caps[i].Reason = "the scenario did not run"
			if ctx.Err() != nil {
				caps[i].Reason = "not probed: " + context.Cause(ctx).Error()
			}
		}
	}
	return finish(out, caps, start)
}

// clientOptions maps a registry's configuration onto the HTTP client.
func clientOptions(reg config.Registry) client.Options {
	retries := reg.Retry.Max
	if retries == 0 {
		retries = -1 // the client reads 0 as "default"; the config means none
	}
	return client.Options{
		RetryMax: retries, RetryWaitMin: reg.Retry.MinWait, RetryWaitMax: reg.Retry.MaxWait,
		MaxRetryAfter: reg.Retry.MaxRetryAfter, Timeout: reg.Timeouts.Request,
	}
}

func finish(out results.Registry, caps []results.Capability, start time.Time) results.Registry {
	out.Capabilities = caps
	out.DurationMS = time.Since(start).Milliseconds()
	results.Summarize(&out)
	return out
}

// merge folds one scenario's outcome into its capability: the worst status
// wins (error, then unsupported), reasons and evidence accumulate.
func merge(c *results.Capability, n int, o steps.Outcome) {
	rank := map[results.Status]int{results.Supported: 0, results.Unsupported: 1, results.Error: 2}
	if n == 0 || rank[o.Status] > rank[c.Status] {
		c.Status = o.Status
	}
	if o.Reason != "" {
		if c.Reason == "" {
			c.Reason = o.Reason
		} else if !strings.Contains(c.Reason, o.Reason) {
			c.Reason += "; " + o.Reason
		}
	}
	c.Facts = append(c.Facts, o.Facts...)
	c.Exchanges = append(c.Exchanges, o.Exchanges...)
	c.DurationMS += o.Duration.Milliseconds()
}
