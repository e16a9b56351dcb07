package suite

import (
	"bytes"
	"io/fs"
	"slices"
	"testing/fstest"
)

// Only returns a file system holding the feature files of scenarios, each
// with the lines of its other scenarios blanked, for godog to run the
// scenarios from (by their Ref). godog parses a feature file for every
// scenario it is given as file:line and compiles every scenario of the
// file before keeping the one on that line; blanked, the scenarios a run
// leaves out (in probe mode the @verify ones) are neither parsed nor
// compiled. What godog reports stays the same: the lines of everything
// kept are where they were, and comments stay (godog's cucumber JSON
// lists a feature's comments).
//
// Without descriptions, the feature's description is blanked too: what
// godog reads then is exactly what it runs (steps, doc strings, tables,
// tags), for a run that keeps none of godog's reports but its outcomes.
func Only(scenarios []*Scenario, descriptions bool) fs.FS {
	keep := map[*Scenario]bool{}
	var features []*Feature
	for _, sc := range scenarios {
		keep[sc] = true
		if !slices.Contains(features, sc.Feature) {
			features = append(features, sc.Feature)
		}
	}
	out := fstest.MapFS{}
	for _, f := range features {
		lines := bytes.SplitAfter(f.Content, []byte("\n"))
		without := func(from, to int) { // the lines [from, to), 0: to the end
			if to == 0 {
				to = len(lines) + 1
			}
			for l := from; l < to && l <= len(lines); l++ {
				if !f.comments[l] {
					lines[l-1] = blank(lines[l-1])
				}
			}
		}
		for _, sc := range f.Scenarios {
			if !keep[sc] {
				without(sc.start, sc.end)
			}
		}
		if !descriptions {
			without(f.Line+1, f.about)
		}
		out[f.File] = &fstest.MapFile{Data: bytes.Join(lines, nil), Mode: 0o444}
	}
	return out
}

// blank keeps only a line's end.
func blank(line []byte) []byte {
	switch {
	case bytes.HasSuffix(line, []byte("\r\n")):
		return []byte("\r\n")
	case bytes.HasSuffix(line, []byte("\n")):
		return []byte("\n")
	}
	return nil
}
