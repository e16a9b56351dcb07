// Package features embeds the default suite: one capability per .feature
// file. `ocicaps run --features DIR` replaces it with a folder of your own.
package features

import "embed"

// FS holds the default feature files.
//
//go:embed *.feature
var FS embed.FS
