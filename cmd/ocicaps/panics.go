package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/internal/crash"
)

// exitInternal is the exit code of a run in which ocicaps panicked (a bug):
// what could finish did, and the reports are written (README).
const exitInternal = 3

// testHookStarted is called as each registry starts; tests make it panic
// to check that a panic is reported as exitInternal with the reports
// written. Nothing else sets it.
var testHookStarted = func(config.Registry) {}

// runProtected is run, except that a panic ends the command with
// exitInternal and a request for a bug report, instead of Go's crash output
// and exit 2 (the code of a configuration error). Panics in a registry, a
// scenario or a report writer are recovered where they happen (each ends as
// an error in the reports, which are written); one on the command's own
// goroutine is recovered here.
func runProtected(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	before := len(crash.Panics())
	defer func() {
		_ = crash.Recovered("ocicaps "+commandName(args), recover())
		// An interrupt keeps its code: the user stopped the run.
		if panics := crash.Panics()[before:]; len(panics) > 0 && code != exitInterrupted {
			code = reportPanics(stderr, panics)
		}
	}()
	return run(ctx, args, stdout, stderr)
}

func commandName(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// reportPanics says what panicked, asks for a bug report, prints the
// stacks, and returns exitInternal.
func reportPanics(stderr io.Writer, panics []crash.Panic) int {
	for _, p := range panics {
		fmt.Fprintf(stderr, "ocicaps: internal error in %s: panic: %s\n", p.Where, p.Value)
	}
	fmt.Fprintf(stderr, "ocicaps: %s\n", crash.Ask)
	for _, p := range panics {
		fmt.Fprintf(stderr, "\n--- stack of the panic in %s ---\n%s", p.Where, p.Stack)
	}
	return exitInternal
}
