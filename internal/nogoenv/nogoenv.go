// Package nogoenv keeps godog from starting `go env GOTOOLDIR` on every
// start of ocicaps (4–8 ms measured; see package emptypath). Import it for
// its side effect wherever godog is used:
//
//	import _ "github.com/ocicaps/ocicaps/internal/nogoenv"
//
// Its internal package emptypath empties PATH before godog initializes;
// this package imports godog, so it initializes after it, and puts PATH
// back before main starts. emptypath being internal to this package is
// what makes "never empty PATH without putting it back" a rule the
// compiler checks.
package nogoenv

import (
	// Imported so that this package initializes after godog's.
	_ "github.com/cucumber/godog"
	"github.com/ocicaps/ocicaps/internal/nogoenv/internal/emptypath"
)

func init() { emptypath.Restore() }
