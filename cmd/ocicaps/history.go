package main

import (
	"fmt"
	"io"

	"github.com/ocicaps/ocicaps/history"
	"github.com/ocicaps/ocicaps/report/historyreport"
	"github.com/ocicaps/ocicaps/results"
)

const historyUsage = `usage: ocicaps history [flags] RUN...

Follows every registry × capability over many runs: a RUN is a results.json
file, or a folder searched for results.json files (one folder per night, as
CI artifacts keep them). The runs are ordered by their start time, whatever
the order given. Writes history.html, history.md and history.json into
--out: the timeline of each capability, the flaky ones (their verdict
changed at least --flaky-changes times), the ones that changed fewer times
(a regression or an improvement, with the run where it first appeared), and
for each when it was last verified, by which ocicaps version, and whether
that is more than --stale-days before the newest run (stale).

flags:
`

func cmdHistory(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("history", stderr)
	fl.Usage = func() { fmt.Fprint(fl.Output(), historyUsage); fl.PrintDefaults() }
	out := fl.String("out", "reports", "folder `DIR` for history.html, history.md and history.json")
	flaky := fl.Int("flaky-changes", history.DefaultFlakyChanges, "`N` changes of verdict in the window from which a capability is flaky")
	stale := fl.Int("stale-days", history.DefaultStaleDays, "`DAYS` without an answer about a capability, before the newest run, from which it is stale")
	if code, ok := parseFlags(fl, interleaved(fl, args), stdout, stderr); !ok {
		return code
	}
	if fl.NArg() == 0 {
		fmt.Fprintln(stderr, "ocicaps history: name at least one results.json file or folder of them\nRun \"ocicaps history -h\" for the flags.")
		return exitUsage
	}
	if *flaky < 1 || *stale < 1 {
		fmt.Fprintln(stderr, "ocicaps history: --flaky-changes and --stale-days must be at least 1\nRun \"ocicaps history -h\" for the flags.")
		return exitUsage
	}
	files, err := history.Files(fl.Args())
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps: %v\n", err)
		return exitUsage
	}
	ins, err := history.Load(files)
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps history: %v\n", err)
		return exitUsage
	}
	h := history.Build(ins, history.Options{FlakyChanges: *flaky, StaleDays: *stale,
		Tool: results.Tool{Name: "ocicaps", Version: version}})
	fmt.Fprintln(stdout, historyreport.Summary(h))
	written, err := historyreport.Write(*out, h)
	for _, p := range written {
		fmt.Fprintf(stdout, "wrote %s\n", p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps: %v\n", err)
		return exitFail
	}
	return exitOK
}
