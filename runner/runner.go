// Package runner runs a suite against registries: one godog run per
// registry, in parallel, each scenario's outcome folded into the results
// model with its score and severity. It never formats output.
package runner

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"
	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/internal/crash"
	// godog forks `go env` at start-up unless this comes along.
	_ "github.com/ocicaps/ocicaps/internal/nogoenv"
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

// Options describe one run: what the caller chose. What Run works out
// from them before anything is probed is its plan (plan.go).
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
	// RunID names verify mode's scratch repositories (NewRunID if empty).
	RunID string
	// Verify puts every registry in verify mode (--verify), whatever its
	// mode in the file (Mode).
	Verify bool
	// Listed are the registries of the file, in file order, of which
	// Registries are a selection: a registry's Index in the results is its
	// position there, so that shards of one list share one numbering. Nil
	// means Registries is the list.
	Listed []config.Registry
	// Shard, FailOn and FailOnRegression are recorded in the results as
	// the run was asked (results.Run's fields of the same names).
	Shard            *results.Shard
	FailOn           results.Severity
	FailOnRegression bool
	// Baseline, when set, is an earlier run that the results are compared
	// with (results.Run.Trend); BaselineFile is where it was read.
	Baseline     *results.Run
	BaselineFile string
	// Started, when set, is called as each registry starts, once it has a
	// parallel slot (any goroutine; calls are serialized with Finished).
	Started func(config.Registry)
	// Finished, when set, is called as each registry finishes (any
	// goroutine; calls are serialized).
	Finished func(results.Registry)
	// Clients runs client readiness (--clients): the suite's client
	// workflows are predicted from each registry's capabilities and, in
	// verify mode, confirmed by running the clients. ClientPaths maps a
	// client id to its program (registries.yaml clients:); a client not
	// in it is looked up on PATH.
	Clients     bool
	ClientPaths map[string]string
	// Cucumber, when set, receives godog's cucumber JSON for each registry
	// as it finishes (calls are serialized), for people who use Cucumber
	// tooling. It is godog's own output, passed on as bytes: the runner
	// does not format it, and nothing in the results model depends on it.
	Cucumber func(registry string, data []byte)
}

// Mode is the mode reg runs in: verify for every registry with Verify.
func (o Options) Mode(reg config.Registry) string {
	if o.Verify {
		return config.ModeVerify
	}
	return reg.Mode
}

// Run probes every registry and returns the results, complete: every
// field of the model is set (indexes, the trend against a baseline, how
// the run was asked). Registry failures are verdicts in the results, not
// errors; the error is for a run that cannot start (nothing selected).
func Run(ctx context.Context, opt Options) (*results.Run, error) {
	if len(opt.Scenarios) == 0 {
		return nil, fmt.Errorf("no scenario matches the selection %q; `ocicaps list` shows the checks and tags", opt.Selection)
	}
	p := newPlan(opt)
	run := p.start()
	runAll(ctx, p, run)
	p.finish(ctx, run)
	return run, nil
}

// runAll runs every registry, p.parallel at a time: the workers take the
// registries in config order, so that the first entries start first
// whatever the parallelism; each result lands at its own index, so the
// report's order never depends on timing.
func runAll(ctx context.Context, p *plan, run *results.Run) {
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for range p.running {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				run.Registries[i] = runOne(ctx, p, &mu, p.registries[i])
			}
		}()
	}
	for i := range p.registries {
		next <- i
	}
	close(next)
	wg.Wait()
}

// runOne runs one registry between the Started and Finished callbacks
// (called under mu). A panic in it ends that registry's capabilities as
// errors that ask for a bug report (internal/crash) and the run goes on: a
// worker goroutine that panicked would end the process with no report.
func runOne(ctx context.Context, p *plan, mu *sync.Mutex, reg config.Registry) (r results.Registry) {
	start := time.Now()
	locked := func(fn func()) {
		mu.Lock()
		defer mu.Unlock()
		fn()
	}
	finishing := false
	defer func() {
		if err := crash.Recovered("registry "+reg.Name, recover()); err != nil {
			r = crashed(reg, p.Scenarios, start, err)
			if p.Finished != nil && !finishing {
				locked(func() { p.Finished(r) })
			}
		}
	}()
	if p.Started != nil {
		locked(func() { p.Started(reg) })
	}
	r, cuke := runRegistry(ctx, p, reg)
	finishing = true
	locked(func() {
		if p.Finished != nil {
			p.Finished(r)
		}
		if p.Cucumber != nil {
			p.Cucumber(r.Name, cuke)
		}
	})
	return r
}

// crashed is the result of a registry whose run panicked: every capability
// an error naming the panic.
func crashed(reg config.Registry, scenarios []*suite.Scenario, start time.Time, err error) results.Registry {
	out := results.Registry{Name: reg.Name, URL: reg.URL, TestRepository: reg.TestRepository, TestTag: reg.TestTag, Mode: reg.Mode}
	caps := newRegistryRun(reg, scenarios).caps
	for i := range caps {
		caps[i].Status, caps[i].Reason = results.Error, err.Error()
	}
	return finish(out, caps, start)
}

// Infos describes the capabilities of the selected scenarios, one per
// feature, in suite order, with the remediation their descriptions carry.
func Infos(scenarios []*suite.Scenario) []results.CapabilityInfo {
	var out []results.CapabilityInfo
	for _, f := range featuresOf(scenarios) {
		out = append(out, results.CapabilityInfo{
			ID: f.Capability, Check: f.Check, Name: f.Name, SeverityWhenMissing: f.Severity,
			Description: f.About, CommonCauses: f.CommonCauses, HowToFix: f.HowToFix,
			Source: f.File, Fallbacks: f.Fallbacks,
		})
	}
	return out
}

// featuresOf lists the features of the scenarios once each, in suite
// order: the one capability list both the run's capability infos and each
// registry's verdicts are built from.
func featuresOf(scenarios []*suite.Scenario) []*suite.Feature {
	var out []*suite.Feature
	seen := map[*suite.Feature]bool{}
	for _, sc := range scenarios {
		if !seen[sc.Feature] {
			seen[sc.Feature] = true
			out = append(out, sc.Feature)
		}
	}
	return out
}

// verdict accumulates the scenarios of one kind (probe or verify) of one
// capability: the worst status wins, reasons accumulate.
type verdict struct {
	n      int
	status results.Status
	reason string
	// broken is the evidence of an unsupported scenario that found a list
	// that cannot be read to its end (steps.FactListBroken).
	broken string
}

var rank = map[results.Status]int{results.Supported: 0, results.Unsupported: 1, results.Error: 2}

func (v *verdict) add(o steps.Outcome) {
	if v.n == 0 || rank[o.Status] > rank[v.status] {
		v.status = o.Status
	}
	if o.Reason != "" && !strings.Contains(v.reason, o.Reason) {
		if v.reason != "" {
			v.reason += "; "
		}
		v.reason += o.Reason
	}
	v.n++
	if o.Status == results.Unsupported && v.broken == "" {
		for _, f := range o.Facts {
			if f.Name == steps.FactListBroken {
				v.broken = f.Value
			}
		}
	}
}

// runRegistry probes one registry; the bytes are godog's cucumber JSON when
// p.Cucumber is set (nil when godog never ran).
func runRegistry(ctx context.Context, p *plan, reg config.Registry) (results.Registry, []byte) {
	all := p.Scenarios
	start := time.Now()
	out := results.Registry{Name: reg.Name, URL: reg.URL, TestRepository: reg.TestRepository, TestTag: reg.TestTag, Mode: reg.Mode}
	rr := newRegistryRun(reg, all)
	target := &steps.Target{Registry: reg}
	if reg.Mode == config.ModeVerify {
		target.Scratch = ScratchRepository(reg, p.RunID)
		out.Scratch = []string{target.Scratch, target.Scratch + "-mount"}
	}
	runCtx := ctx // client workflows get a deadline of their own (clients.go)
	// The registry's deadline bounds its scenarios; clean-ups run on a
	// detached context (steps.CleanupTimeout) so they happen even then.
	ctx, cancel := context.WithTimeoutCause(ctx, reg.Timeouts.Registry,
		fmt.Errorf("the registry's deadline passed (timeouts.registry: %s)", reg.Timeouts.Registry))
	defer cancel()
	out.Warnings = reg.Warnings()
	copt, creds, err := access(ctx, reg, clientOptions(reg))
	out.Credentials, target.Credentials = creds, creds
	var cl *client.Client
	if err == nil {
		cl, err = client.New(reg.URL, copt)
	}
	if err != nil {
		for i := range rr.caps {
			rr.caps[i].Status, rr.caps[i].Reason = results.Error, err.Error()
		}
		if p.clients != nil {
			out.Clients, _ = p.clients.clientReadiness(ctx, reg, target, copt, rr.caps, "")
		}
		return finish(out, rr.caps, start), nil
	}
	defer cl.Close()
	target.Client = cl
	refused := ""
	if reg.Mode == config.ModeVerify {
		reason, closed := preflight(ctx, cl, out.Scratch)
		defer closed()
		if reason != "" {
			out.Warnings = append(out.Warnings, reason)
			rr.refuseVerify(reason)
			refused = reason
		}
	}
	cuke := rr.runGodog(ctx, p, target)
	out.Leftovers = append(rr.fold(ctx), target.Finish(ctx)...)
	if p.clients != nil {
		// After the capabilities, which they never change.
		clients, left := p.clients.clientReadiness(runCtx, reg, target, copt, rr.caps, refused)
		out.Clients = clients
		out.Leftovers = append(out.Leftovers, left...)
	}
	out.RateLimited = cl.RateLimited()
	linkFallbacks(rr.caps, p.Suite, all, reg.Mode)
	return finish(out, rr.caps, start), cuke
}

// registryRun is one registry's share of a run: its scenarios, the
// capabilities they decide, and each scenario's outcome in its own slot, so
// that scenarios finishing in any order fold into the same results.
type registryRun struct {
	reg        config.Registry
	scenarios  []*suite.Scenario
	caps       []results.Capability
	index      map[*suite.Feature]int // feature → its capability
	slot       map[string]int         // scenario ref → its outcome
	outcomes   [][]row                // per scenario: one row, or one per Examples row of an outline
	mu         sync.Mutex
	perFeature map[*suite.Feature]int
}

func newRegistryRun(reg config.Registry, all []*suite.Scenario) *registryRun {
	rr := &registryRun{reg: reg, index: map[*suite.Feature]int{}, slot: map[string]int{}, perFeature: map[*suite.Feature]int{}}
	verify := reg.Mode == config.ModeVerify
	for _, sc := range all {
		if verify || !sc.Verify {
			rr.slot[sc.Ref()] = len(rr.scenarios)
			rr.scenarios = append(rr.scenarios, sc)
			rr.perFeature[sc.Feature]++
		}
	}
	for _, f := range featuresOf(rr.scenarios) {
		rr.index[f] = len(rr.caps)
		rr.caps = append(rr.caps, results.Capability{
			ID: f.Capability, Check: f.Check, Name: f.Name, SeverityWhenMissing: f.Severity,
			Source: fmt.Sprintf("%s:%d", f.File, f.Line),
		})
	}
	rr.outcomes = make([][]row, len(rr.scenarios))
	return rr
}

// report keeps a scenario's outcome in its slot. Scenarios run side by
// side, and the rows of a Scenario Outline share their outline's slot.
func (rr *registryRun) report(p *godog.Scenario, o steps.Outcome) {
	if i, ok := rr.slot[p.Uri]; ok {
		rr.mu.Lock()
		rr.outcomes[i] = append(rr.outcomes[i], row{key: rowKey(p), name: p.Name, o: o})
		rr.mu.Unlock()
	}
}

// runGodog runs the registry's scenarios, up to its concurrency at once,
// and returns godog's cucumber JSON when p.Cucumber is set.
func (rr *registryRun) runGodog(ctx context.Context, p *plan, target *steps.Target) []byte {
	var refs []string
	for i, sc := range rr.scenarios {
		if len(rr.outcomes[i]) == 0 { // a refused preflight decided it already
			refs = append(refs, sc.Ref())
		}
	}
	if len(refs) == 0 {
		return nil
	}
	// Outcomes are collected from the hooks; godog's own text is not part
	// of any report, except its cucumber JSON when asked for.
	defs, fsys := p.defs.probe, p.only.probe
	if rr.reg.Mode == config.ModeVerify {
		defs, fsys = p.defs.verify, p.only.verify
	}
	if fsys == nil {
		fsys = p.Suite.FS
	}
	format, output := discardFormat, io.Writer(io.Discard)
	var cuke bytes.Buffer
	if p.Cucumber != nil {
		format, output = "cucumber", &cuke
	}
	ts := godog.TestSuite{
		Name: rr.reg.Name,
		// The vocabulary and the hooks are the same for every scenario of
		// the registry, so they are registered once for its suite: godog
		// copies the suite's step definitions and hooks into each scenario,
		// where a ScenarioInitializer would register all of them again per
		// scenario (runtime.Caller for each step definition).
		TestSuiteInitializer: func(ts *godog.TestSuiteContext) {
			steps.Register(ts.ScenarioContext(), target, rr.report, defs...)
		},
		Options: &godog.Options{
			FS: fsys, Paths: refs, Format: format, Output: output,
			NoColors: true, Strict: true, DefaultContext: ctx,
			Concurrency: concurrency(rr.reg, p.running),
		},
	}
	ts.Run()
	if p.Cucumber == nil {
		return nil
	}
	return cuke.Bytes()
}

// ScenarioBudget bounds the scenarios in flight in a whole run: each of the
// registries running at once gets an equal share, at most
// config.MaxConcurrency, and never more than the `concurrency:` the file
// gives it. A registry alone runs 64 scenarios at once, each of 5 runs 20;
// a fleet of 100 runs one at a time in each registry, where registries
// side by side already keep every core busy and more connections would
// only cost CPU and memory (docs/benchmarks.md).
const ScenarioBudget = 100

// concurrency is how many of reg's scenarios run at once while running
// registries run beside it.
func concurrency(reg config.Registry, running int) int {
	c := ScenarioBudget / max(1, running)
	if reg.Concurrency > 0 {
		c = min(c, reg.Concurrency)
	}
	return max(1, min(c, config.MaxConcurrency))
}

// fold sets every capability's verdict from its scenarios' outcomes, in
// suite order whatever order they finished in, and returns the leftovers.
func (rr *registryRun) fold(ctx context.Context) []results.Leftover {
	probes := make([]verdict, len(rr.caps))
	verifies := make([]verdict, len(rr.caps))
	var leftovers []results.Leftover
	for j, sc := range rr.scenarios {
		rows := sortedRows(rr.outcomes[j])
		several := rr.perFeature[sc.Feature] > 1 || len(rows) > 1
		for _, r := range rows {
			i := rr.index[sc.Feature]
			if sc.Verify {
				verifies[i].add(r.o)
			} else {
				probes[i].add(r.o)
			}
			leftovers = append(leftovers, addOutcome(&rr.caps[i], r, several)...)
		}
	}
	for i := range rr.caps {
		combine(ctx, &rr.caps[i], probes[i], verifies[i])
	}
	return leftovers
}

// shiftDeviations names the scenario of each deviation and makes its
// evidence index the capability's exchanges, whose first offset are other
// scenarios'.
func shiftDeviations(ds []results.Deviation, scenario string, offset int) []results.Deviation {
	out := make([]results.Deviation, 0, len(ds))
	for _, d := range ds {
		d.Evidence.Scenario = scenario
		if d.Evidence.Exchange >= 0 {
			d.Evidence.Exchange += offset
		}
		out = append(out, d)
	}
	return out
}

// combine sets a capability's verdict from its probe and verify scenarios.
func combine(ctx context.Context, c *results.Capability, probe, verify verdict) {
	if probe.n == 0 && verify.n == 0 {
		c.Status, c.Reason = results.Error, "the scenario did not run"
		if ctx.Err() != nil {
			c.Reason = "not probed: " + context.Cause(ctx).Error()
		}
		return
	}
	if verify.n == 0 {
		c.Status, c.Reason = probe.status, probe.reason
		return
	}
	c.Verified = verify.status
	c.Status, c.Reason = verify.status, verify.reason
	if probe.n == 0 {
		return
	}
	c.Probe = probe.status
	if probe.status == results.Unsupported && probe.broken != "" && verify.status == results.Supported {
		// The probe read a list that loops, never ends or leads off the
		// registry; a verify that read fewer pages does not undo that.
		c.Status, c.Reason, c.Mismatch = results.Unsupported, probe.reason, true
		c.Explanation = fmt.Sprintf("Doing it is supported (%s), but the probe found a list that cannot be read to its end (%s), which the pages the verification read do not undo.",
			orUnknown(verify.reason), probe.broken)
		return
	}
	answered := func(s results.Status) bool { return s == results.Supported || s == results.Unsupported }
	if answered(probe.status) && answered(verify.status) && probe.status != verify.status {
		c.Mismatch = true
		c.Explanation = fmt.Sprintf("Asked, the registry says %s (%s), but doing it is %s (%s).",
			probe.status, orUnknown(probe.reason), verify.status, orUnknown(verify.reason))
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "no detail"
	}
	return s
}

// ScratchRepository is where verify mode writes for reg: its
// scratchRepository, or a name unique to the run in the test repository's
// namespace, where a token that may push to it most likely may push.
func ScratchRepository(reg config.Registry, runID string) string {
	if reg.ScratchRepository != "" {
		return reg.ScratchRepository
	}
	return config.DefaultScratchRepositoryFor(reg.TestRepository, runID)
}

// NewRunID returns a run id usable in a repository name: the time and a
// random suffix, so that concurrent runs never share a scratch repository.
func NewRunID() string {
	var b [3]byte
	rand.Read(b[:])
	return time.Now().UTC().Format("20060102t150405") + "-" + hex.EncodeToString(b[:])
}

// clientOptions maps a registry's configuration onto the HTTP client.
func clientOptions(reg config.Registry) client.Options {
	return client.Options{Retry: &reg.Retry, Timeout: reg.Timeouts.Request,
		RateLimit: client.RateLimit{RequestsPerSecond: reg.RateLimit.RequestsPerSecond, Burst: reg.RateLimit.Burst}}
}

func finish(out results.Registry, caps []results.Capability, start time.Time) results.Registry {
	out.Capabilities = caps
	out.DurationMS = time.Since(start).Milliseconds()
	results.Summarize(&out)
	return out
}
