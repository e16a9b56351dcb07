package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/progress"
	"github.com/ocicaps/ocicaps/report"
	"github.com/ocicaps/ocicaps/report/console"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/shard"
)

// cutShard keeps the registries of share spec ("K/N"; empty: all of them)
// and returns the shard record results.json carries for `ocicaps merge`.
func cutShard(regs []config.Registry, spec string) ([]config.Registry, *results.Shard, error) {
	if spec == "" {
		return regs, nil, nil
	}
	s, err := shard.Parse(spec)
	if err != nil {
		return nil, nil, err
	}
	names := make([]string, len(regs))
	for i, r := range regs {
		names[i] = r.Name
	}
	var mine []config.Registry
	for _, i := range shard.Pick(names, s) {
		mine = append(mine, regs[i])
	}
	return mine, &results.Shard{Index: s.K, Count: s.N, Total: len(regs), ListDigest: shard.ListDigest(names)}, nil
}

func cmdMerge(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("merge", stderr)
	fl.Usage = func() {
		fmt.Fprint(fl.Output(), "usage: ocicaps merge [--out DIR] SHARD-RESULTS.json...\n\n"+
			"Combines the results.json of every `ocicaps run --shard K/N` of one run into the\n"+
			"reports a single machine would have written, and prints the matrix.\n\n")
		fl.PrintDefaults()
	}
	outDir := fl.String("out", "reports", "folder `DIR` for the merged reports")
	if code, ok := parseFlags(fl, interleaved(fl, args), stdout, stderr); !ok {
		return code
	}
	if fl.NArg() == 0 {
		fmt.Fprintln(stderr, "ocicaps merge: give the results.json of every shard, e.g. ocicaps merge shards/*/results.json --out reports")
		return exitUsage
	}
	var in []shard.Input
	for _, f := range fl.Args() {
		run, err := jsonfile.Read(f)
		if err != nil {
			fmt.Fprintf(stderr, "ocicaps merge: %v\n", err)
			return exitUsage
		}
		in = append(in, shard.Input{File: f, Run: run})
	}
	res, err := shard.Merge(in)
	if err != nil {
		fmt.Fprintf(stderr, "ocicaps merge: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "ocicaps %s: merged %d shard(s), %d registr%s\n", version, len(in), len(res.Registries), plural(len(res.Registries), "y", "ies"))
	fmt.Fprintln(stdout)
	if err := console.WriteMatrixWidth(stdout, res, progress.Width(stdout, console.DefaultWidth)); err != nil {
		fmt.Fprintf(stderr, "ocicaps: writing the matrix: %v\n", err)
	}
	paths, werr := report.WriteAll(*outDir, res)
	if len(paths) > 0 {
		fmt.Fprintf(stderr, "reports: %s\n", strings.Join(shownPaths(*outDir, paths), ", "))
	}
	if werr != nil {
		fmt.Fprintf(stderr, "ocicaps merge: writing reports: %v\n", werr)
	}
	// The exit code is the one a single run would have had, less the
	// interrupt (130): a merge itself is never interrupted.
	if res.Incomplete || res.Worst() == results.Fail || werr != nil {
		return exitFail
	}
	return exitOK
}

// interleaved moves flags after the file arguments to the front, so that
// `ocicaps merge shards/*.json --out DIR` (as a shell glob puts it) works;
// the standard flag package stops at the first argument.
func interleaved(fl *flag.FlagSet, args []string) []string {
	var flags, files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			files = append(files, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			files = append(files, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if f := fl.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(append(flags, "--"), files...)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
