// Command ocicaps certifies what OCI registries can really do: it runs
// Gherkin capability scenarios against each registry in registries.yaml and
// writes a capability matrix, a score and reports.
//
// Exit codes: 0 no registry at fail; 1 at least one registry at fail (or at
// the --fail-on threshold), a capability lost since --baseline with
// --fail-on-regression, or reports not written; 2 usage, configuration or
// suite errors (nothing was probed); 130 the run was interrupted (reports
// hold what finished, marked incomplete).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/progress"
	"github.com/ocicaps/ocicaps/report"
	"github.com/ocicaps/ocicaps/report/console"
	"github.com/ocicaps/ocicaps/report/cucumber"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/runner"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
	"github.com/ocicaps/ocicaps/trend"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// Exit codes, a contract documented in the README.
const (
	exitOK          = 0
	exitFail        = 1
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	// net/http's Transport reports protocol oddities of a misbehaving
	// registry ("Unsolicited response received on idle HTTP channel") with
	// the standard logger; ocicaps uses it for nothing else, and the
	// transcript records what matters, so stderr stays ocicaps' own.
	log.SetOutput(io.Discard)
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		// A second signal gets Go's default behaviour and ends the process
		// at once; the first lets the run clean up and write its reports.
		signal.Stop(sigs)
		cancel(&interrupted{sig})
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	os.Exit(code)
}

// interrupted is the cause of a run cancelled by a signal.
type interrupted struct{ sig os.Signal }

func (i *interrupted) Error() string {
	name := i.sig.String()
	switch i.sig {
	case os.Interrupt:
		name = "SIGINT"
	case syscall.SIGTERM:
		name = "SIGTERM"
	}
	return "interrupted by " + name
}

const usage = `usage: ocicaps <command> [flags]

commands:
  run       probe the registries in registries.yaml and write reports
  merge     combine the results.json of "run --shard" machines into one set of reports
  validate  check feature files without touching a registry
  list      show the checks and capabilities in the suite
  steps     print the step vocabulary for scenario authors
  version   print the version

Run "ocicaps <command> -h" for the flags of a command.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "merge":
		return cmdMerge(args[1:], stdout, stderr)
	case "validate":
		return cmdValidate(args[1:], stdout, stderr)
	case "list":
		return cmdList(args[1:], stdout, stderr)
	case "steps":
		return cmdSteps(args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintf(stdout, "ocicaps %s\n", version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "ocicaps: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("ocicaps "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// loadSuite reads the embedded suite or the folder given, and validates it.
func loadSuite(dir string, stderr io.Writer) (*suite.Suite, bool) {
	var fsys fs.FS = features.FS
	source := "embedded"
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "ocicaps: --features %s: not a readable folder\n", dir)
			return nil, false
		}
		fsys, source = os.DirFS(dir), dir
	}
	s, problems := suite.Load(fsys, source)
	problems = append(problems, s.Validate(steps.Check)...)
	if len(problems) > 0 {
		prefix := ""
		if dir != "" {
			prefix = strings.TrimSuffix(dir, "/") + "/"
		}
		fmt.Fprintf(stderr, "ocicaps: the suite has %d problem(s):\n", len(problems))
		for _, p := range problems {
			if !strings.HasPrefix(p.File, prefix) {
				p.File = prefix + p.File
			}
			fmt.Fprintf(stderr, "  %s\n", p)
		}
		return nil, false
	}
	return s, true
}

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := newFlags("run", stderr)
	cfgPath := fl.String("config", "registries.yaml", "registries file")
	var names multiFlag
	fl.Var(&names, "registry", "run only this registry (repeatable)")
	tags := fl.String("tags", "", "godog tag expression selecting scenarios, e.g. \"@capability:referrers\"")
	check := fl.String("check", "", "run one check, e.g. check.integration.oci.capabilities; \"all\" runs every check (default: the seed's check, or everything in a --features suite that lacks it)")
	featDir := fl.String("features", "", "folder of .feature files replacing the built-in suite")
	outDir := fl.String("out", "reports", "folder for the report files")
	parallel := fl.Int("parallel", runner.DefaultParallel, "registries probed at once")
	verify := fl.Bool("verify", false, "verify mode for every registry: also do each capability in a scratch repository (writes, then deletes)")
	formatList := fl.String("format", "", "console output and files, comma-separated: one of pretty, progress, quiet; any of junit, json, html, markdown, cucumber (default pretty,junit,json,html,markdown)")
	failOnFlag := fl.String("fail-on", "fail", "severity from which a registry fails the run (exit 1): fail, warn or info")
	baselinePath := fl.String("baseline", "", "results.json of an earlier run to compare with")
	failOnRegression := fl.Bool("fail-on-regression", false, "fail the run (exit 1) when a capability was lost since --baseline")
	shardFlag := fl.String("shard", "", "probe only share K of N of the registries (K/N, e.g. 2/4); combine the shards' results.json with `ocicaps merge`")
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "ocicaps run: unexpected argument %q\n", fl.Arg(0))
		return exitUsage
	}
	if *parallel < 1 {
		fmt.Fprintln(stderr, "ocicaps run: --parallel must be at least 1")
		return exitUsage
	}
	out, err := parseFormats(*formatList)
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps run: --format: %v\n", err)
		return exitUsage
	}
	failOn, ok := results.ParseSeverity(*failOnFlag)
	if !ok || failOn == results.Pass {
		fmt.Fprintf(stderr, "ocicaps run: --fail-on %q: use fail, warn or info\n", *failOnFlag)
		return exitUsage
	}
	// The baseline is read before anything is probed: a wrong path is a
	// usage error, and --out may hold it, about to be overwritten.
	var baseline *results.Run
	if *baselinePath != "" {
		if baseline, err = jsonfile.Read(*baselinePath); err != nil {
			fmt.Fprintf(stderr, "ocicaps run: --baseline: %v\n", err)
			return exitUsage
		}
	} else if *failOnRegression {
		fmt.Fprintln(stderr, "ocicaps run: note: --fail-on-regression without --baseline: nothing to compare with, so nothing can regress")
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps: configuration error:\n%s\n", indent(err.Error()))
		return exitUsage
	}
	regs, err := cfg.Select(names)
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps: %v\n", err)
		return exitUsage
	}
	regs, shardRec, err := cutShard(regs, *shardFlag)
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps run: %v\n", err)
		return exitUsage
	}
	s, ok := loadSuite(*featDir, stderr)
	if !ok {
		return exitUsage
	}
	selection := *tags
	if *check == "" && *tags == "" && hasCheck(s, suite.DefaultCheck) {
		*check = suite.DefaultCheck
	}
	if *check == "all" {
		*check = ""
	}
	var scenarios []*suite.Scenario
	for _, sc := range s.Select(*tags) {
		if *check == "" || sc.Feature.Check == *check {
			scenarios = append(scenarios, sc)
		}
	}
	if *check != "" {
		selection = strings.TrimPrefix(strings.Join([]string{selection, suite.CheckExpr(*check)}, " && "), " && ")
	}
	if selection == "" {
		selection = "all checks"
	}
	if len(scenarios) == 0 {
		fmt.Fprintf(stderr, "ocicaps: no scenario matches %q; the suite's checks are: %s\n", selection, strings.Join(s.Checks(), ", "))
		return exitUsage
	}
	// pretty keeps stdout for the matrix and reports progress on stderr;
	// progress puts the progress lines on stdout instead of a matrix; quiet
	// prints only problems.
	progressOut := io.Discard
	switch out.console {
	case consolePretty:
		progressOut = stderr
	case consoleProgress:
		progressOut = stdout
	}
	width := 0
	runID := runner.NewRunID()
	for i := range regs {
		width = max(width, len(regs[i].Name))
		if *verify {
			regs[i].Mode = config.ModeVerify
		}
		if regs[i].Mode == config.ModeVerify {
			// Say where we will write before writing anything, whatever
			// the console format.
			scratch := runner.ScratchRepository(regs[i], runID)
			fmt.Fprintf(stderr, "verify mode: %s: will write to %s and %s-mount, and delete what it writes\n", regs[i].Name, scratch, scratch)
		}
		for _, w := range regs[i].Warnings() {
			fmt.Fprintf(stderr, "WARNING: %s: %s\n", regs[i].Name, w)
		}
	}
	of := ""
	if shardRec != nil {
		of = fmt.Sprintf(" (shard %d/%d of %d)", shardRec.Index, shardRec.Count, shardRec.Total)
	}
	ncaps := len(runner.Infos(scenarios))
	fmt.Fprintf(progressOut, "ocicaps %s: %d registr%s%s, %d capabilit%s (%s)\n", version, len(regs), plural(len(regs), "y", "ies"), of, ncaps, plural(ncaps, "y", "ies"), selection)
	// The whole-run deadline (defaults.run in the configuration).
	ctx, cancel := context.WithTimeoutCause(ctx, cfg.Defaults.Run,
		fmt.Errorf("the run's deadline passed (defaults.run: %s)", cfg.Defaults.Run))
	defer cancel()
	cuke := map[string][]byte{}
	// On a terminal a live status line; elsewhere one line per registry.
	prog := progress.New(progressOut, len(regs), progress.IsTerminal(progressOut))
	opts := runner.Options{
		Registries: regs, Suite: s, Scenarios: scenarios, Selection: selection,
		ConfigFile: *cfgPath, Parallel: *parallel, Version: version, RunID: runID,
		Started: func(config.Registry) { prog.Started() },
		Finished: func(r results.Registry) {
			prog.Finished(fmt.Sprintf("  %-*s  %d/%d %-4s (%.1fs)", width, r.Name, r.Score, r.MaxScore, r.Severity, float64(r.DurationMS)/1000))
		},
	}
	if slices.Contains(out.files, report.FormatCucumber) {
		opts.Cucumber = func(name string, data []byte) { cuke[name] = data }
	}
	prog.Start()
	res, err := runner.Run(ctx, opts)
	prog.Stop()
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps: %v\n", err)
		return exitUsage
	}
	numberRegistries(res, cfg.Registries)
	res.Shard = shardRec
	res.FailOn, res.FailOnRegression = failOn, *failOnRegression
	if baseline != nil {
		res.Trend = trend.Compare(baseline, res, *baselinePath)
	}
	switch out.console {
	case consolePretty:
		fmt.Fprintln(stdout)
		if err := console.WriteMatrix(stdout, res); err != nil {
			fmt.Fprintf(stderr, "ocicaps: writing the matrix: %v\n", err)
		}
	case consoleProgress:
		fmt.Fprintln(stdout, totals(res))
	}
	var parts []cucumber.Part
	for _, r := range res.Registries {
		parts = append(parts, cucumber.Part{Registry: r.Name, JSON: cuke[r.Name]})
	}
	paths, werr := report.Write(*outDir, res, report.Options{Formats: out.files, Cucumber: parts})
	if len(paths) > 0 {
		fmt.Fprintf(progressOut, "reports: %s\n", strings.Join(paths, ", "))
	}
	if werr != nil {
		fmt.Fprintf(stderr, "ocicaps: writing reports: %v\n", werr)
	}
	// Every reason for exit 1 is said, not only the first.
	failing := res.Failing()
	if len(failing) > 0 {
		fmt.Fprintf(stderr, "ocicaps: %d registr%s at or above --fail-on %s: %s\n", len(failing), plural(len(failing), "y", "ies"), failOn, strings.Join(failing, ", "))
	}
	regressed := *failOnRegression && len(trend.Regressions(res.Trend)) > 0
	if regressed {
		fmt.Fprintf(stderr, "ocicaps: capabilities lost since %s (--fail-on-regression): %s\n", *baselinePath, strings.Join(trend.Regressions(res.Trend), ", "))
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

// Console formats of --format.
const (
	consolePretty   = "pretty"
	consoleProgress = "progress"
	consoleQuiet    = "quiet"
)

type outputs struct {
	console string
	files   []string
}

// parseFormats reads --format: at most one console format and any file
// formats. Each kind has its own default, so "--format quiet" keeps the
// default files and "--format junit" keeps the pretty console.
func parseFormats(list string) (outputs, error) {
	var o outputs
	seen := map[string]bool{}
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		switch {
		case f == consolePretty || f == consoleProgress || f == consoleQuiet:
			if o.console != "" {
				return o, fmt.Errorf("two console formats, %s and %s: choose one", o.console, f)
			}
			o.console = f
		case report.IsFormat(f):
			o.files = append(o.files, f)
		default:
			return o, fmt.Errorf("unknown format %q: console formats are pretty, progress, quiet; file formats are %s", f, strings.Join(report.Formats, ", "))
		}
	}
	if o.console == "" {
		o.console = consolePretty
	}
	if len(o.files) == 0 {
		o.files = report.DefaultFormats
	}
	return o, nil
}

// totals is the one-line verdict of the progress console format.
func totals(run *results.Run) string {
	parts := run.SeverityCounts()
	line := fmt.Sprintf("%d registr%s", len(run.Registries), plural(len(run.Registries), "y", "ies"))
	if len(parts) > 0 {
		line += ": " + strings.Join(parts, ", ")
	}
	if run.Trend != nil {
		line += fmt.Sprintf("; since the baseline %d lost, %d gained", run.Trend.Lost, run.Trend.Gained)
	}
	return line
}

func cmdValidate(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("validate", stderr)
	featDir := fl.String("features", "", "folder of .feature files (default: the built-in suite)")
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	s, ok := loadSuite(*featDir, stderr)
	if !ok {
		return exitUsage
	}
	n := 0
	for _, f := range s.Features {
		n += len(f.Scenarios)
	}
	fmt.Fprintf(stdout, "ok: %d feature(s), %d scenario(s) in %s\n", len(s.Features), n, s.Source)
	return exitOK
}

func cmdList(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("list", stderr)
	featDir := fl.String("features", "", "folder of .feature files (default: the built-in suite)")
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	s, ok := loadSuite(*featDir, stderr)
	if !ok {
		return exitUsage
	}
	byCheck := map[string][]*suite.Feature{}
	for _, f := range s.Features {
		byCheck[f.Check] = append(byCheck[f.Check], f)
	}
	checks := s.Checks()
	sort.Strings(checks)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, c := range checks {
		def := ""
		if c == suite.DefaultCheck {
			def = " (default)"
		}
		fmt.Fprintf(tw, "%s%s\n", c, def)
		for _, f := range byCheck[c] {
			fmt.Fprintf(tw, "  %s\t%s\tmissing: %s\t%s\n", f.Capability, f.Name, f.Severity, f.File)
		}
	}
	tw.Flush()
	return exitOK
}

func cmdSteps(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("steps", stderr)
	md := fl.Bool("markdown", false, "print the reference as Markdown (the one in docs/writing-scenarios.md)")
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	if *md {
		fmt.Fprint(stdout, steps.ReferenceMarkdown())
		return exitOK
	}
	for _, g := range steps.Groups {
		fmt.Fprintf(stdout, "%s\n", g)
		for _, d := range steps.Vocabulary() {
			if d.Group == g {
				fmt.Fprintf(stdout, "  %s\n      %s\n", d.Example, d.Doc)
			}
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintln(stdout, "Built-in variables (write {name}; steps that save add more)")
	for _, v := range steps.Builtins() {
		fmt.Fprintf(stdout, "  {%s}\n      %s\n", v.Name, v.Doc)
	}
	return exitOK
}

func hasCheck(s *suite.Suite, check string) bool {
	for _, c := range s.Checks() {
		if c == check {
			return true
		}
	}
	return false
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
