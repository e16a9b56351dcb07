package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ocicaps/ocicaps/config"
)

// commands are the sub-commands, for "did you mean".
var commands = []string{"run", "merge", "history", "validate", "list", "steps", "features", "version", "help"}

// unknownCommand says what was not understood, suggests the closest
// command and points at the help, in two lines rather than the usage.
func unknownCommand(name string, stderr io.Writer) int {
	hint := ""
	if c := config.Closest(name, commands); c != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", c)
	}
	if strings.HasPrefix(name, "-") {
		// Suggest "ocicaps run FLAG" only for a flag run has: -x after run
		// would be refused too.
		fl, _ := runFlagSet(io.Discard)
		flagName, _, _ := strings.Cut(strings.TrimLeft(name, "-"), "=")
		var known []string
		fl.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
		switch c := config.Closest(flagName, known); {
		case fl.Lookup(flagName) != nil:
			fmt.Fprintf(stderr, "ocicaps: %s before a command; flags follow the command, e.g. ocicaps run %s\n", name, name)
		case c != "":
			fmt.Fprintf(stderr, "ocicaps: %s before a command; flags follow the command, e.g. ocicaps run --%s\n", name, c)
		default:
			fmt.Fprintf(stderr, "ocicaps: unknown flag %s; flags follow a command (ocicaps run -h lists run's), and ocicaps version prints the version\n", name)
		}
	} else {
		fmt.Fprintf(stderr, "ocicaps: unknown command %q%s\n", name, hint)
	}
	fmt.Fprintln(stderr, `Run "ocicaps -h" for the commands.`)
	return exitUsage
}

// parseFlags parses args with fl. -h and --help print the command's help on
// stdout (exit 0); a mistake prints the problem, a suggestion if there is
// one, and one line pointing at the help (exit 2). ok is false when the
// command must end with code.
func parseFlags(fl *flag.FlagSet, args []string, stdout, stderr io.Writer) (code int, ok bool) {
	// The flag package prints the error and the whole usage on its own;
	// it is silenced here and says its part through the error.
	usage := fl.Usage
	fl.Usage = func() {}
	fl.SetOutput(io.Discard)
	onceFlags(fl)
	err := fl.Parse(args)
	fl.Usage = usage
	switch {
	case err == nil:
		fl.SetOutput(stderr)
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		fl.SetOutput(stdout)
		fl.Usage()
		return exitOK, false
	}
	fmt.Fprintf(stderr, "%s: %s\n", fl.Name(), flagProblem(fl, err))
	fmt.Fprintf(stderr, "Run \"%s -h\" for the flags.\n", fl.Name())
	return exitUsage, false
}

// flagProblem rewrites the flag package's message in the --flag spelling
// the help uses, with a suggestion for an unknown flag.
func flagProblem(fl *flag.FlagSet, err error) string {
	msg := err.Error()
	if p, ok := twiceProblem(msg); ok {
		return p
	}
	const undefined = "flag provided but not defined: -"
	if name, ok := strings.CutPrefix(msg, undefined); ok {
		var known []string
		fl.VisitAll(func(f *flag.Flag) { known = append(known, f.Name) })
		if c := config.Closest(name, known); c != "" {
			return fmt.Sprintf("unknown flag --%s (did you mean --%s?)", name, c)
		}
		return "unknown flag --" + name
	}
	return strings.Replace(msg, " -", " --", 1)
}

// isSet reports whether the flag name was given on the command line.
func isSet(fl *flag.FlagSet, name string) bool {
	set := false
	fl.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
