package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the whole run to the file named by
// OCICAPS_CPUPROFILE, for the benchmarks (docs/benchmarks.md); without it,
// it does nothing. An environment variable, not a flag: it is a tool for
// developers, not part of the command line's contract.
func startProfile() (stop func()) {
	path := os.Getenv("OCICAPS_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ocicaps: OCICAPS_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
