// Package restore puts PATH back after godog's initialization (see package
// nogoenv). Import it for its side effect wherever godog is used:
//
//	import _ "github.com/ocicaps/ocicaps/internal/nogoenv/restore"
package restore

import (
	// Imported so that this package initializes after godog's.
	_ "github.com/cucumber/godog"
	"github.com/ocicaps/ocicaps/internal/nogoenv"
)

func init() { nogoenv.Restore() }
