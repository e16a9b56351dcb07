package suite

import (
	"bytes"
	"fmt"
	"io/fs"
)

// MaxLineBytes is the longest line a feature file may have, line ending
// excluded. The Gherkin parser reads lines with a bufio.Scanner of 64 KiB
// and dereferences a nil line when one is longer (a panic, in godog too), so
// longer lines are refused here, with their line number, before either
// parses the file.
const MaxLineBytes = 64<<10 - 1

// MaxFeatureBytes bounds one feature file: the built-in ones are a few KiB,
// and the whole file is held in memory (and given to godog) for the run.
const MaxFeatureBytes = 4 << 20

// tooLarge refuses a file over MaxFeatureBytes before it is read.
func tooLarge(fsys fs.FS, file string) *Problem {
	st, err := fs.Stat(fsys, file)
	if err != nil || st.Size() <= MaxFeatureBytes {
		return nil
	}
	return &Problem{File: file, Msg: fmt.Sprintf("the file is larger than the %d bytes a feature file may have", MaxFeatureBytes),
		Hint: "split it into one capability per .feature file"}
}

// longLines refuses the lines longer than MaxLineBytes, each with its line
// number.
func longLines(file string, data []byte) []Problem {
	var out []Problem
	for n := 1; len(data) > 0; n++ {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(line) > MaxLineBytes {
			out = append(out, Problem{File: file, Line: n,
				Msg:  fmt.Sprintf("line of %d bytes, longer than the %d a feature file line may have", len(line), MaxLineBytes),
				Hint: "break the value over several lines, e.g. of a doc string (between \"\"\" marks), or make it with a step such as random bytes"})
		}
	}
	return out
}
