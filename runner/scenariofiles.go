package runner

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"testing/fstest"

	"github.com/ocicaps/ocicaps/suite"
)

// scenarioFiles are the feature files godog is given when nothing reads
// godog's own output (no cucumber JSON): one small file per selected
// scenario, made once per run. godog parses the files it is given for
// every registry (it has no way to take a parsed document), and a
// scenario given as file:line costs it a parse of the whole file, once
// per scenario of the file it runs. Each scenario's file here holds only
// what its pickles are made of: the feature's tags and keyword line, its
// backgrounds and rules, and the scenario, without the blank and comment
// lines the parser skips, which is half the parse or less
// (docs/benchmarks.md). What godog runs is the same: the same names, tags,
// step texts, doc strings and tables (TestScenarioFilesSamePickles); only
// the line numbers differ, and no output of a run without cucumber JSON
// shows them.
type scenarioFiles struct {
	fs   fstest.MapFS
	path map[string]string // scenario ref (file:line) → its file in fs
	ref  map[string]string // file in fs → scenario ref, for godog's Uri
}

func newScenarioFiles(scenarios []*suite.Scenario, pk pickles) *scenarioFiles {
	sf := &scenarioFiles{fs: fstest.MapFS{}, path: map[string]string{}, ref: map[string]string{}}
	for _, sc := range scenarios {
		pf := pk[sc.Feature]
		only, err := fs.ReadFile(suite.Only([]*suite.Scenario{sc}, false), sc.Feature.File)
		if pf == nil || err != nil {
			continue // godog gets it as file:line, as before
		}
		// The name never ends in ":digits", which godog would read as a
		// line to pick.
		name := fmt.Sprintf("%s@%d", sc.Feature.File, sc.Line)
		sf.fs[name] = &fstest.MapFile{Data: compactFeature(only, docOf(pf, sc.Line)), Mode: 0o444}
		sf.path[sc.Ref()] = name
		sf.ref[name] = sc.Ref()
	}
	return sf
}

// paths are the files godog is given for the scenarios refs, or nil when
// one of them has none (then godog is given the refs as before).
func (sf *scenarioFiles) paths(refs []string) []string {
	if sf == nil {
		return nil
	}
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		p, ok := sf.path[r]
		if !ok {
			return nil
		}
		out = append(out, p)
	}
	return out
}

// docOf are the doc string lines of the scenario on line and of the
// backgrounds; the others are blank in its file.
func docOf(pf *parsedFeature, line int) map[int]bool {
	out := map[int]bool{}
	for l, owner := range pf.doc {
		if owner == 0 || owner == line {
			out[l] = true
		}
	}
	return out
}

// gherkinLanguage is a "# language: xx" line, the one comment the Gherkin
// parser reads.
var gherkinLanguage = regexp.MustCompile(`^\s*#\s*language\s*:`)

// compactFeature drops the lines of a feature file that the Gherkin parser
// skips, blank lines and comments, except the lines of doc strings
// (docLines, as the parser found them), which are content.
func compactFeature(content []byte, docLines map[int]bool) []byte {
	var out bytes.Buffer
	out.Grow(len(content) / 2)
	for i, line := range bytes.SplitAfter(content, []byte("\n")) {
		if !docLines[i+1] {
			t := bytes.TrimSpace(line)
			if len(t) == 0 || t[0] == '#' && !gherkinLanguage.Match(t) {
				continue
			}
		}
		out.Write(line)
		if len(line) > 0 && line[len(line)-1] != '\n' {
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}
