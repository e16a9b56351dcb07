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
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/ocicaps/ocicaps/report"
	"github.com/ocicaps/ocicaps/results"
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
	stop := startProfile()
	code := runProtected(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
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
  run       probe registries (TARGETs, or those in registries.yaml) and write reports
  merge     combine the results.json of "run --shard" machines into one set of reports
  history   follow capabilities over many runs: flaky, regressions, stale verdicts
  validate  check feature files without touching a registry
  list      show the checks and capabilities in the suite
  steps     print the step vocabulary for scenario authors
  features  export DIR: write the built-in suite's .feature files into DIR
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
	case "history":
		return cmdHistory(args[1:], stdout, stderr)
	case "validate":
		return cmdValidate(args[1:], stdout, stderr)
	case "list":
		return cmdList(args[1:], stdout, stderr)
	case "steps":
		return cmdSteps(args[1:], stdout, stderr)
	case "features":
		return cmdFeatures(args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "ocicaps %s\n", version)
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	return unknownCommand(args[0], stderr)
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("ocicaps "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
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
	fl.Usage = func() { fmt.Fprint(fl.Output(), validateUsage); fl.PrintDefaults() }
	var sf suiteFlags
	sf.define(fl, "folder `DIR` of .feature files instead of the built-in suite")
	if code, ok := parseFlags(fl, args, stdout, stderr); !ok {
		return code
	}
	s, ok := loadSuite(sf, stderr)
	if !ok {
		return exitUsage
	}
	n := 0
	for _, f := range s.Features {
		n += len(f.Scenarios)
	}
	// The first line keeps its shape (scripts read it); the client
	// workflows get a line of their own.
	fmt.Fprintf(stdout, "ok: %d feature(s), %d scenario(s) in %s\n", len(s.Features), n, s.Source)
	if len(s.Clients) > 0 {
		fmt.Fprintf(stdout, "ok: %d client workflow file(s) with %d workflow(s) in %s\n", len(s.Clients), len(s.ClientScenarios()), s.Source)
	}
	return exitOK
}

func cmdList(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("list", stderr)
	fl.Usage = func() { fmt.Fprint(fl.Output(), listUsage); fl.PrintDefaults() }
	var sf suiteFlags
	sf.define(fl, "folder `DIR` of .feature files instead of the built-in suite")
	if code, ok := parseFlags(fl, args, stdout, stderr); !ok {
		return code
	}
	s, ok := loadSuite(sf, stderr)
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
			only := ""
			if f.VerifyOnly() {
				only = "verify only" // no verdict without --verify
			}
			line := fmt.Sprintf("  %s\t%s\tmissing: %s\t%s\t%s", f.Capability, f.Name, f.Severity, only, s.DisplayFile(f))
			if fb := f.FallbackList(); fb != "" {
				line += "\t" + fb
			}
			fmt.Fprintln(tw, line)
		}
	}
	listClients(tw, s)
	tw.Flush()
	return exitOK
}

// listClients shows the client workflows (ocicaps run --clients): client,
// workflow, what it needs and falls back on, what happens otherwise.
func listClients(tw io.Writer, s *suite.Suite) {
	if len(s.Clients) == 0 {
		return
	}
	fmt.Fprintln(tw, "client workflows (--clients)")
	for _, f := range s.Clients {
		for _, sc := range f.Scenarios {
			w := sc.Workflow
			line := fmt.Sprintf("  %s %s	%s	needs: %s", f.Client, w.ID, sc.Name, orNone(w.Needs))
			if len(w.Fallbacks) > 0 {
				line += ", fallback: " + strings.Join(w.Fallbacks, ", ")
			}
			fmt.Fprintf(tw, "%s	otherwise: %s	%s\n", line, w.Otherwise, s.DisplayFile(f))
		}
	}
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "nothing"
	}
	return strings.Join(ids, ", ")
}

func cmdSteps(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("steps", stderr)
	fl.Usage = func() { fmt.Fprint(fl.Output(), stepsUsage); fl.PrintDefaults() }
	md := fl.Bool("markdown", false, "print the reference as Markdown (the one in docs/writing-scenarios.md)")
	if code, ok := parseFlags(fl, args, stdout, stderr); !ok {
		return code
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

func indent(s string) string {
	return "  " + strings.ReplaceAll(s, "\n", "\n  ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

const validateUsage = `usage: ocicaps validate [--features DIR | --add-features DIR...]

Checks feature files without touching a registry: Gherkin syntax, the
capability tags, every step against the vocabulary, conditions, regular
expressions and placeholders. Problems (exit 2) and likely mistakes
(warnings, exit 0) are printed with file:line and a hint. Without flags it
checks the built-in suite.

flags:
`

const listUsage = `usage: ocicaps list [--features DIR | --add-features DIR...]

Shows the checks of the suite and, under each, its capabilities: id, name,
severity when missing, "verify only" for those that need --verify, the file
and the fallbacks; then the client workflows (run with --clients): client,
workflow, what it needs, falls back on and does otherwise. Without flags it
lists the built-in suite.

flags:
`

const stepsUsage = `usage: ocicaps steps [--markdown]

Prints the step vocabulary for scenario authors: every step with an example
and what it does, grouped (requests, checks, saving, registry, outcomes,
clean-up, client programs, client workflows), then the built-in variables
({repository}, {tag}, …).

flags:
`
