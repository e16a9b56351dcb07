package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/internal/spool"
	"github.com/ocicaps/ocicaps/progress"
	"github.com/ocicaps/ocicaps/report"
	"github.com/ocicaps/ocicaps/report/console"
	"github.com/ocicaps/ocicaps/report/cucumber"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/runner"
	"github.com/ocicaps/ocicaps/suite"
	"github.com/ocicaps/ocicaps/trend"
)

const runUsage = `usage: ocicaps run [flags] [TARGET...]

Probes the registries in registries.yaml (--config), or the TARGETs given
instead of a file, and writes the capability matrix and reports.

A TARGET is a registry URL (https://registry.example.com, http://127.0.0.1:5000),
a URL with a repository and tag (https://ghcr.io/acme/app:1.0: the test image),
or a reference as crane and oras take it (ghcr.io/acme/app:1.0: HTTPS, or plain
HTTP for a loopback host or with --plain-http); Docker Hub shorthand as docker
reads it (alpine is docker.io/library/alpine:latest). Give a file or TARGETs,
not both.

Credentials: a registry without any gets what the Docker config
($DOCKER_CONFIG/config.json, else ~/.docker/config.json) holds for its host,
as after "docker login"; --anonymous presents nothing.

flags:
`

// runFlags are the flags of "ocicaps run".
type runFlags struct {
	cfgPath, tags, check, outDir, format, failOn, baseline, shard string
	suite                                                         suiteFlags
	names                                                         multiFlag
	parallel                                                      int
	verify, failOnRegression, plainHTTP, anonymous, clients       bool
}

func runFlagSet(stderr io.Writer) (*flag.FlagSet, *runFlags) {
	fl, f := newFlags("run", stderr), &runFlags{}
	fl.Usage = func() { fmt.Fprint(fl.Output(), runUsage); fl.PrintDefaults() }
	fl.StringVar(&f.cfgPath, "config", "registries.yaml", "registries `FILE` (not with TARGETs)")
	fl.Var(&f.names, "registry", "run only the registry `NAME` of the file (repeatable)")
	fl.StringVar(&f.tags, "tags", "", "godog tag `EXPRESSION` selecting scenarios, e.g. \"@capability:referrers\"")
	fl.StringVar(&f.check, "check", "", "run one `CHECK`, e.g. check.integration.oci.capabilities; \"all\" runs every check (default: the seed's check, or everything in a --features suite that lacks it)")
	f.suite.define(fl, "folder `DIR` of .feature files replacing the built-in suite")
	fl.StringVar(&f.outDir, "out", "reports", "folder `DIR` for the report files")
	fl.IntVar(&f.parallel, "parallel", runner.DefaultParallel, "`N` registries probed at once")
	fl.BoolVar(&f.verify, "verify", false, "verify mode for every registry: also do each capability in a scratch repository (writes, then deletes)")
	fl.StringVar(&f.format, "format", "", "console output and files, comma-separated `LIST`: one of pretty, progress, quiet; any of junit, json, html, markdown, cucumber, ctrf, capabilities; naming a file format replaces the default files, naming a console format keeps them (default pretty,junit,json,html,markdown,capabilities)")
	fl.StringVar(&f.failOn, "fail-on", "fail", "`SEVERITY` from which a registry fails the run (exit 1): fail, warn or info")
	fl.StringVar(&f.baseline, "baseline", "", "results.json `FILE` of an earlier run to compare with")
	fl.BoolVar(&f.failOnRegression, "fail-on-regression", false, "fail the run (exit 1) when a capability was lost since --baseline")
	fl.StringVar(&f.shard, "shard", "", "probe only share `K/N` of the registries (e.g. 2/4); combine the shards' results.json with \"ocicaps merge\"")
	fl.BoolVar(&f.plainHTTP, "plain-http", false, "reach bare-reference TARGETs over plain HTTP (loopback hosts always are)")
	fl.BoolVar(&f.clients, "clients", false, "client readiness: predict whether each client workflow (oras, cosign, helm, regctl, crane, skopeo, flux; features/clients) works on each registry, adding the capabilities they need to the run; with --verify, confirm it by running each client found (registries.yaml clients:, else PATH) against the scratch repository")
	fl.BoolVar(&f.anonymous, "anonymous", false, "present no credentials to registries without a credentials key (not even the Docker config's)")
	return fl, f
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl, f := runFlagSet(stderr)
	if code, ok := parseFlags(fl, interleaved(fl, args), stdout, stderr); !ok {
		return code
	}
	p, err := f.plan(fl, stderr)
	var ue *usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "ocicaps run: %s\nRun \"ocicaps run -h\" for the flags.\n", ue.msg)
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "ocicaps: %v\n", err)
		return exitUsage
	case p == nil: // the suite's problems are printed already
		return exitUsage
	}
	return p.execute(ctx, stdout, stderr)
}

// usageError is a mistake on the command line: said in one line, with a
// pointer at the help.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// runPlan is everything a run needs, checked before anything is probed.
type runPlan struct {
	f         *runFlags
	out       outputs
	failOn    results.Severity
	baseline  *results.Run
	cfg       *config.Config
	regs      []config.Registry
	shardRec  *results.Shard
	suite     *suite.Suite
	selection suite.Selection
}

// plan checks the flags, reads the registries (file or TARGETs), the
// baseline and the suite, and chooses the scenarios.
func (f *runFlags) plan(fl *flag.FlagSet, stderr io.Writer) (*runPlan, error) {
	p := &runPlan{f: f}
	if err := f.checkFlags(p); err != nil {
		return nil, err
	}
	cfg, err := f.registries(fl, stderr)
	if err != nil {
		return nil, err
	}
	p.cfg = cfg
	if p.regs, err = cfg.Select(f.names); err != nil {
		return nil, err
	}
	if p.regs, p.shardRec, err = cutShard(p.regs, f.shard); err != nil {
		return nil, usagef("%v", err)
	}
	s, ok := loadSuite(f.suite, stderr)
	if !ok {
		return nil, nil
	}
	p.suite = s
	if p.selection, err = s.Choose(f.tags, f.check); err != nil {
		return nil, err
	}
	if f.clients {
		if len(s.Clients) == 0 {
			return nil, usagef("--clients: the suite %s has no client workflow files (@client:<id>, see docs/writing-client-workflows.md)", s.Source)
		}
		p.selection = s.WithClients(p.selection)
		if err := cfg.CheckClients(nil); err != nil {
			return nil, fmt.Errorf("configuration error:\n%s", indent(err.Error()))
		}
	}
	return p, nil
}

// checkFlags checks the flags that need no file, and reads the baseline
// before anything is probed: a wrong path is a usage error, and --out may
// hold it, about to be overwritten.
func (f *runFlags) checkFlags(p *runPlan) error {
	var err error
	if f.parallel < 1 {
		return usagef("--parallel must be at least 1")
	}
	if p.out, err = parseFormats(f.format); err != nil {
		return usagef("--format: %v", err)
	}
	failOn, ok := results.ParseSeverity(f.failOn)
	if !ok || failOn == results.Pass {
		return usagef("--fail-on %q: use fail, warn or info", f.failOn)
	}
	p.failOn = failOn
	if f.baseline == "" {
		return nil
	}
	if p.baseline, err = jsonfile.ReadLight(f.baseline); err != nil {
		return usagef("--baseline: %v", err)
	}
	return nil
}

// registries reads registries.yaml, or turns the TARGETs into registries.
// A file and TARGETs together are refused rather than merged: which
// defaults, names and --registry selection would apply is a guess either
// way, and crane and oras users expect the command line alone to count.
func (f *runFlags) registries(fl *flag.FlagSet, stderr io.Writer) (*config.Config, error) {
	var cfg *config.Config
	var err error
	targets := fl.Args()
	switch {
	case len(targets) > 0 && isSet(fl, "config"):
		return nil, usagef("give --config or TARGETs, not both (TARGETs probe the registries they name, with the built-in defaults)")
	case len(targets) > 0 && len(f.names) > 0:
		return nil, usagef("--registry picks registries of a file; with TARGETs, name only the registries to probe")
	case len(targets) > 0:
		if cfg, err = config.FromTargets(targets, f.plainHTTP); err != nil {
			return nil, usagef("%v", err)
		}
	case !isSet(fl, "config") && !exists(f.cfgPath):
		return nil, usagef("no %s here: name the registries to probe (ocicaps run https://registry.example.com) or a file (--config FILE)", f.cfgPath)
	default:
		if cfg, err = config.Load(f.cfgPath); err != nil {
			return nil, fmt.Errorf("configuration error:\n%s", indent(err.Error()))
		}
	}
	for _, w := range cfg.UseDockerDefault(f.anonymous) {
		fmt.Fprintf(stderr, "WARNING: %s\n", w)
	}
	return cfg, nil
}

// progressOut is where progress goes: pretty keeps stdout for the matrix
// and reports progress on stderr; progress puts the progress lines on
// stdout instead of a matrix; quiet prints only problems.
func (p *runPlan) progressOut(stdout, stderr io.Writer) io.Writer {
	switch p.out.console {
	case consolePretty:
		return stderr
	case consoleProgress:
		return stdout
	}
	return io.Discard
}

func (p *runPlan) execute(ctx context.Context, stdout, stderr io.Writer) int {
	if p.f.failOnRegression && p.baseline == nil {
		fmt.Fprintln(stderr, "ocicaps run: note: --fail-on-regression without --baseline: nothing to compare with, so nothing can regress")
	}
	progressOut := p.progressOut(stdout, stderr)
	opts := p.runOptions()
	p.announce(opts, progressOut, stderr)
	// The whole-run deadline (defaults.run in the configuration).
	ctx, cancel := context.WithTimeoutCause(ctx, p.cfg.Defaults.Run,
		fmt.Errorf("the run's deadline passed (defaults.run: %s)", p.cfg.Defaults.Run))
	defer cancel()
	// A registry's evidence goes to disk as it finishes (internal/spool):
	// memory stays bounded whatever the fleet's size.
	if sp, err := spool.New(p.f.outDir); err != nil {
		fmt.Fprintf(stderr, "ocicaps: note: %v: the results stay in memory\n", err)
	} else {
		defer sp.Close()
		defer func() {
			if err := sp.Err(); err != nil {
				fmt.Fprintf(stderr, "ocicaps: note: %v: some results stayed in memory\n", err)
			}
		}()
		opts.Spool = sp
	}
	res, cuke, err := p.probe(ctx, opts, progressOut)
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps: %v\n", err)
		return exitUsage
	}
	werr := p.writeOutputs(res, cuke, stdout, stderr, progressOut)
	return p.verdict(ctx, res, werr, stderr)
}

// runOptions is what the runner is asked to do: the registries, the
// scenarios, and how the results are to be recorded (shard, --fail-on,
// --baseline), so that the model is complete when the runner returns.
func (p *runPlan) runOptions() runner.Options {
	return runner.Options{
		Registries: p.regs, Listed: p.cfg.Registries, Verify: p.f.verify,
		Suite: p.suite, Scenarios: p.selection.Scenarios, Selection: p.selection.Expr,
		ConfigFile: p.cfg.File, Parallel: p.f.parallel, Version: version, RunID: runner.NewRunID(),
		Shard: p.shardRec, FailOn: p.failOn, FailOnRegression: p.f.failOnRegression,
		Baseline: p.baseline, BaselineFile: p.f.baseline,
		Clients: p.f.clients, ClientPaths: p.cfg.Clients,
	}
}

// announce says, before anything is probed, where verify mode will write,
// what an operator must know about each registry, and what the run covers.
func (p *runPlan) announce(opts runner.Options, progressOut, stderr io.Writer) {
	for _, r := range p.regs {
		if opts.Mode(r) == config.ModeVerify {
			// Whatever the console format.
			scratch := runner.ScratchRepository(r, opts.RunID)
			fmt.Fprintf(stderr, "verify mode: %s: will write to %s and %s-mount, and delete what it writes\n", r.Name, scratch, scratch)
		}
		for _, w := range r.Warnings() {
			fmt.Fprintf(stderr, "WARNING: %s: %s\n", r.Name, w)
		}
	}
	of := ""
	if s := p.shardRec; s != nil {
		of = fmt.Sprintf(" (shard %d/%d of %d)", s.Index, s.Count, s.Total)
	}
	if p.f.clients && !slices.ContainsFunc(p.regs, func(r config.Registry) bool { return opts.Mode(r) == config.ModeVerify }) {
		fmt.Fprintln(stderr, "clients: predicted from the capabilities only; clients run (and confirm) only in verify mode (--verify)")
	}
	n := len(p.regs)
	fmt.Fprintf(progressOut, "ocicaps %s: %d registr%s%s, %s (%s)\n", version, n, plural(n, "y", "ies"), of, p.capabilityCount(opts), p.selection.Expr)
}

// capabilityCount says how many capabilities the run gives a verdict:
// those with only @verify scenarios count only where a registry is in
// verify mode, and are named apart otherwise, so that a probe run says
// what it leaves out (instead of a warning on every run).
func (p *runPlan) capabilityCount(opts runner.Options) string {
	all := len(runner.Infos(p.selection.Scenarios))
	only := len(suite.VerifyOnly(p.selection.Scenarios))
	verifying := 0
	for _, r := range p.regs {
		if opts.Mode(r) == config.ModeVerify {
			verifying++
		}
	}
	caps := func(n int) string { return fmt.Sprintf("%d capabilit%s", n, plural(n, "y", "ies")) }
	switch {
	case only == 0 || verifying == len(p.regs):
		return caps(all)
	case verifying == 0:
		return fmt.Sprintf("%s (+%d need --verify)", caps(all-only), only)
	}
	return fmt.Sprintf("%s (%d only on the %d registr%s in verify mode)", caps(all), only, verifying, plural(verifying, "y", "ies"))
}

// probe runs the suite against the registries, with a live status line on
// a terminal and a line per registry elsewhere.
func (p *runPlan) probe(ctx context.Context, opts runner.Options, progressOut io.Writer) (*results.Run, map[string][]byte, error) {
	width := 0
	for _, r := range p.regs {
		width = max(width, len(r.Name))
	}
	cuke := map[string][]byte{}
	prog := progress.New(progressOut, len(p.regs), progress.IsTerminal(progressOut))
	opts.Started = func(r config.Registry) { prog.Started(); testHookStarted(r) }
	opts.Finished = func(r results.Registry) {
		prog.Finished(fmt.Sprintf("  %-*s  %d/%d %-4s (%.1fs)%s", width, r.Name, r.Score, r.MaxScore, r.Severity, float64(r.DurationMS)/1000, credentialsNote(r)))
	}
	if slices.Contains(p.out.files, report.FormatCucumber) {
		opts.Cucumber = func(name string, data []byte) { cuke[name] = data }
	}
	prog.Start()
	res, err := runner.Run(ctx, opts)
	prog.Stop()
	return res, cuke, err
}

// credentialsNote names the credentials a registry was probed with, never
// the secret; nothing when there were none.
func credentialsNote(r results.Registry) string {
	if r.Credentials == "" || r.Credentials == "none" {
		return ""
	}
	return "  credentials: " + r.Credentials
}

// writeOutputs prints the matrix or the totals and writes the report files.
func (p *runPlan) writeOutputs(res *results.Run, cuke map[string][]byte, stdout, stderr, progressOut io.Writer) error {
	switch p.out.console {
	case consolePretty:
		fmt.Fprintln(stdout)
		if err := console.WriteMatrixWidth(stdout, res, progress.Width(stdout, console.DefaultWidth)); err != nil {
			fmt.Fprintf(stderr, "ocicaps: writing the matrix: %v\n", err)
		}
	case consoleProgress:
		fmt.Fprintln(stdout, totals(res))
		// Why each failing registry failed, one line per cause, as the
		// quiet format says it under its verdict.
		_ = console.WriteReasons(stdout, res)
	}
	var parts []cucumber.Part
	for _, r := range res.Registries {
		parts = append(parts, cucumber.Part{Registry: r.Name, JSON: cuke[r.Name]})
	}
	paths, werr := report.Write(p.f.outDir, res, report.Options{Formats: p.out.files, Cucumber: parts})
	if len(paths) > 0 {
		fmt.Fprintf(progressOut, "reports: %s\n", strings.Join(shownPaths(p.f.outDir, paths), ", "))
	}
	if werr != nil {
		fmt.Fprintf(stderr, "ocicaps: writing reports: %v\n", werr)
	}
	return werr
}

// verdict says every reason for exit 1, not only the first, and returns
// the exit code.
func (p *runPlan) verdict(ctx context.Context, res *results.Run, werr error, stderr io.Writer) int {
	for _, h := range credentialHints(res) {
		fmt.Fprintln(stderr, h)
	}
	failing := res.Failing()
	if len(failing) > 0 {
		fmt.Fprintf(stderr, "ocicaps: %d registr%s at or above --fail-on %s: %s\n", len(failing), plural(len(failing), "y", "ies"), p.failOn, strings.Join(failing, ", "))
		if p.out.console == consoleQuiet {
			// Quiet prints no matrix, so the why goes under the verdict.
			_ = console.WriteReasons(stderr, res)
		}
	}
	for _, m := range clientMismatches(res) {
		fmt.Fprintln(stderr, m)
	}
	lost := trend.Regressions(res.Trend)
	regressed := p.f.failOnRegression && len(lost) > 0
	if regressed {
		fmt.Fprintf(stderr, "ocicaps: capabilities lost since %s (--fail-on-regression): %s\n", p.f.baseline, strings.Join(lost, ", "))
	}
	var intr *interrupted
	switch {
	case res.Incomplete && errors.As(context.Cause(ctx), &intr):
		fmt.Fprintf(stderr, "ocicaps: %v; the reports hold what finished and are marked incomplete\n", intr)
		return exitInterrupted
	case res.Incomplete:
		fmt.Fprintf(stderr, "ocicaps: %v; the reports hold what finished and are marked incomplete\n", context.Cause(ctx))
		return exitFail
	case len(failing) > 0 || regressed || werr != nil:
		return exitFail
	}
	return exitOK
}

// credentialHints says, for each registry that answered 401 while nothing
// was presented to it, how to give it credentials.
func credentialHints(res *results.Run) []string {
	var hints []string
	for i, r := range res.Registries {
		if !strings.HasPrefix(r.Credentials, "none") || allSupported(r) {
			continue
		}
		// The exchanges, which a fleet's run keeps on disk (results.Light).
		r, err := res.Full(i)
		if err != nil {
			continue
		}
		for _, c := range r.Capabilities {
			if askedForCredentials(c) {
				hints = append(hints, fmt.Sprintf("ocicaps: %s asks for credentials and none were presented (%s): run \"docker login %s\" (ocicaps reads the Docker config), or give credentials in registries.yaml (see the README)", r.Name, r.Credentials, registryHost(r)))
				break
			}
		}
	}
	return hints
}

// allSupported tells a registry whose every capability is supported: no
// hint to look for in its exchanges.
func allSupported(r results.Registry) bool {
	for _, c := range r.Capabilities {
		if c.Status != results.Supported {
			return false
		}
	}
	return true
}

// askedForCredentials tells a capability that is not supported because
// the registry answered 401 Unauthorized: a request of its scenarios (not
// a clean-up) got that status. The typed answer, not the words of the
// reason, which a feature file writes as it likes.
func askedForCredentials(c results.Capability) bool {
	if c.Status == results.Supported {
		return false
	}
	for _, ex := range c.Exchanges {
		if !ex.Cleanup && ex.Command == nil && ex.Status == http.StatusUnauthorized {
			return true
		}
	}
	return false
}

// registryHost is host[:port] of a registry's URL, for a docker login line.
func registryHost(r results.Registry) string {
	h := r.URL
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	return h
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// clientMismatches says, for each client workflow whose run disagreed with
// its prediction, which workflow file to fix. A mismatch does not change
// the exit code: the capabilities' verdicts stand, and the workflow file
// is what is wrong (README, --clients).
func clientMismatches(res *results.Run) []string {
	var out []string
	for _, r := range res.Registries {
		for _, c := range r.Clients {
			if c.Mismatch {
				out = append(out, fmt.Sprintf("ocicaps: %s: client workflow %s %s: confirmed %s, but its capabilities predict %s: fix the workflow at %s",
					r.Name, c.Client, c.Workflow, c.Outcome, c.Predicted, c.Source))
			}
		}
	}
	return out
}
