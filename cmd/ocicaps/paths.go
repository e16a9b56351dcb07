package main

import (
	"fmt"
	"path/filepath"

	"github.com/ocicaps/ocicaps/report"
)

// shownPaths is the list of written files as the console says it: the
// capability documents, one per registry, are one entry for their folder,
// so that a fleet of a hundred registries does not get a hundred names.
func shownPaths(outDir string, paths []string) []string {
	dir := filepath.Join(outDir, report.CapabilitiesDir)
	var out []string
	docs := 0
	for _, p := range paths {
		if filepath.Dir(p) == dir {
			if docs == 0 {
				out = append(out, "") // its place in the list
			}
			docs++
			continue
		}
		out = append(out, p)
	}
	for i, p := range out {
		if p == "" {
			out[i] = fmt.Sprintf("%s%c (%d registr%s)", dir, filepath.Separator, docs, plural(docs, "y", "ies"))
		}
	}
	return out
}
