// Command ocicaps certifies what OCI registries can really do: it runs
// Gherkin capability scenarios against each registry in registries.yaml and
// writes a capability matrix, a score and reports.
//
// Exit codes: 0 no registry at fail; 1 at least one registry at fail;
// 2 usage, configuration or suite errors (nothing was probed); 130 the run
// was interrupted (reports hold what finished, marked incomplete).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/progress"
	"github.com/ocicaps/ocicaps/report"
	"github.com/ocicaps/ocicaps/report/console"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/runner"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
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
	outDir := fl.String("out", "reports", "folder for junit.xml and results.json")
	parallel := fl.Int("parallel", runner.DefaultParallel, "registries probed at once")
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
	width := 0
	for _, r := range regs {
		width = max(width, len(r.Name))
	}
	of := ""
	if shardRec != nil {
		of = fmt.Sprintf(" (shard %d/%d of %d)", shardRec.Index, shardRec.Count, shardRec.Total)
	}
	fmt.Fprintf(stderr, "ocicaps %s: %d registr%s%s, %d scenario(s) (%s)\n", version, len(regs), plural(len(regs), "y", "ies"), of, len(scenarios), selection)
	// The whole-run deadline (defaults.run in the configuration).
	ctx, cancel := context.WithTimeoutCause(ctx, cfg.Defaults.Run,
		fmt.Errorf("the run's deadline passed (defaults.run: %s)", cfg.Defaults.Run))
	defer cancel()
	prog := progress.New(stderr, len(regs), progress.IsTerminal(stderr))
	prog.Start()
	res, err := runner.Run(ctx, runner.Options{
		Registries: regs, Suite: s, Scenarios: scenarios, Selection: selection,
		ConfigFile: *cfgPath, Parallel: *parallel, Version: version,
		Started: func(config.Registry) { prog.Started() },
		Finished: func(r results.Registry) {
			prog.Finished(fmt.Sprintf("  %-*s  %d/%d %-4s (%.1fs)", width, r.Name, r.Score, r.MaxScore, r.Severity, float64(r.DurationMS)/1000))
		},
	})
	prog.Stop()
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps: %v\n", err)
		return exitUsage
	}
	numberRegistries(res, cfg.Registries)
	res.Shard = shardRec
	fmt.Fprintln(stdout)
	if err := console.WriteMatrix(stdout, res); err != nil {
		fmt.Fprintf(stderr, "ocicaps: writing the matrix: %v\n", err)
	}
	paths, werr := report.WriteAll(*outDir, res)
	if len(paths) > 0 {
		fmt.Fprintf(stderr, "reports: %s\n", strings.Join(paths, ", "))
	}
	if werr != nil {
		fmt.Fprintf(stderr, "ocicaps: writing reports: %v\n", werr)
	}
	var intr *interrupted
	switch {
	case res.Incomplete && errors.As(context.Cause(ctx), &intr):
		fmt.Fprintf(stderr, "ocicaps: %v; the reports hold what finished and are marked incomplete\n", intr)
		return exitInterrupted
	case res.Incomplete:
		fmt.Fprintf(stderr, "ocicaps: %v; the reports hold what finished and are marked incomplete\n", context.Cause(ctx))
		return exitFail
	case res.Worst() == results.Fail || werr != nil:
		return exitFail
	}
	return exitOK
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
	fmt.Fprintf(stdout, "Built-in variables: %s\n", strings.Join(steps.Builtins(), ", "))
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
