// Package emptypath empties PATH while the packages initialize, so that
// godog cannot start `go env GOTOOLDIR` before main runs. Only package
// nogoenv, which puts PATH back once godog is initialized, may import it:
// it is internal to nogoenv, so the compiler refuses any other importer
// (one that imported it alone would leave the process without a PATH).
//
// godog v0.16.0 (the newest release served) runs that command in a package
// variable initializer of its internal/builder package, which the godog
// package imports for `godog build`, a feature ocicaps never uses. It costs
// a fork and a Go toolchain start before main runs: 4–8 ms of wall time
// per start of ocicaps, as measured for issue 22 (not the tens of
// milliseconds this comment once claimed).
//
// Go initializes packages in a defined order (the spec, since Go 1.21):
// repeatedly the first package, by import path, whose imports are all
// initialized. This package imports only os, so it is ready as soon as os
// is, and "github.com/ocicaps/…" sorts before "os/exec", which
// internal/builder needs: it is always initialized before internal/builder.
// It empties PATH, so that godog's exec.Command("go", …) fails at once
// without starting anything (godog then falls back to go/build's ToolDir).
package emptypath

import "os"

var path, hadPath = os.LookupEnv("PATH")

func init() {
	os.Setenv("PATH", "")
}

// Restore puts PATH back as the process got it.
func Restore() {
	if hadPath {
		os.Setenv("PATH", path)
	} else {
		os.Unsetenv("PATH")
	}
}
