// Package suite loads feature files, reads the capability metadata that rides
// on their tags, selects scenarios by tag expression or check, and validates
// a suite without touching a registry.
package suite

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"
	"github.com/ocicaps/ocicaps/results"
)

// Tag prefixes that carry a capability's metadata.
const (
	TagCapability = "@capability:"
	TagCheck      = "@check:"
	TagSeverity   = "@severity:"
	// TagFallback names a capability a client can use instead when this
	// one is missing (repeatable, in order of preference; see fallback.go).
	TagFallback = "@fallback:"
	// TagVerify marks verify-mode scenarios.
	TagVerify = "@verify"
)

// DefaultCheck is the seed's check, run when no selection is given.
const DefaultCheck = "check.integration.oci.capabilities"

// Suite is a set of parsed feature files.
type Suite struct {
	// Source names where the files came from ("embedded" or a folder).
	Source string
	// Builtin marks the suite built into ocicaps (features/): its
	// verify-only capabilities are intended, so Warnings says nothing
	// about them (a probe run's header counts them instead).
	Builtin bool
	// IntendedVerifyOnly names capabilities whose only @verify scenarios
	// are meant so: the built-in suite's, also in a folder that copies
	// them (ocicaps features export), so Warnings says nothing about them.
	IntendedVerifyOnly map[string]bool
	FS                 fs.FS
	Features           []*Feature
	// Clients are the client workflow files (@client:<id>, clients.go):
	// apart from Features, so that nothing selects them as capabilities.
	Clients []*Feature
	// Display names a feature file for the user (the folder given to
	// --add-features rather than its place in the merged suite); nil
	// means as it is.
	Display func(file string) string
}

// DisplayFile is how the user knows the file of a feature.
func (s *Suite) DisplayFile(f *Feature) string {
	if s.Display == nil {
		return f.File
	}
	return s.Display(f.File)
}

// Feature is one .feature file: one capability.
type Feature struct {
	File        string // path inside the suite's FS
	Line        int
	Name        string
	Description string
	// About, CommonCauses and HowToFix are Description split into its
	// prose and its "Common causes when missing:" and "How to fix:" blocks
	// (see ParseDescription), for the reports.
	About        string
	CommonCauses []string
	HowToFix     []string
	Tags         []string
	Capability   string
	Check        string
	Severity     results.Severity
	// Fallbacks are the capabilities a client can use instead when this
	// one is missing, in order of preference (@fallback:<id> tags).
	Fallbacks []string
	Scenarios []*Scenario
	Content   []byte
	// Added marks a feature of a folder given to --add-features: the
	// default selection runs it beside the seed's check.
	Added bool
	// Client is the @client: id of a client's workflow file (clients.go),
	// empty for a capability; VersionCommand its Version: line.
	Client, VersionCommand string

	// tagLines holds where each of the feature's tags is written and
	// scenarioFallbacks the @fallback: tags written on a scenario, for
	// validation's file:line (fallback.go).
	tagLines          map[string]int
	scenarioFallbacks []tagAt
	// comments are the lines of the file's comments (see Only).
	comments map[int]bool
	// about is the first line after the Feature: line's description, the
	// start of the first background, scenario or rule (0: none).
	about int
}

// Scenario is one scenario of a feature.
type Scenario struct {
	Feature *Feature
	Name    string
	Line    int
	// Tags are the feature's tags followed by the scenario's own.
	Tags  []string
	Steps []Step
	// Verify marks a scenario that does the thing (tag @verify) rather
	// than asking the registry; it runs in verify mode only and may write.
	Verify bool
	// Workflow is what a client scenario's tags and description say (nil
	// for a capability's scenario). Client scenarios run in verify mode.
	Workflow *Workflow
	// start is its first line (its tags'), end the first line after it:
	// the next scenario, background or rule, or 0 at the end of the file.
	start, end int
	// outline is the line of its Examples: when it is a Scenario Outline
	// with examples (0: not one).
	outline int
}

// Step is one step of a scenario (background steps included).
type Step struct {
	Keyword string
	Text    string
	Line    int
	// DocString tells whether a doc string follows the step.
	DocString bool
	Table     bool
	// Doc and DocType are the doc string's content and what follows its
	// opening quotes (a media type), when DocString is true.
	Doc, DocType string
}

// VerifyOnly tells whether every scenario of the feature is @verify: a
// run without verify mode gives the capability no verdict.
func (f *Feature) VerifyOnly() bool {
	for _, sc := range f.Scenarios {
		if !sc.Verify {
			return false
		}
	}
	return len(f.Scenarios) > 0
}

// Ref is the file:line godog uses to run exactly this scenario.
func (s *Scenario) Ref() string { return fmt.Sprintf("%s:%d", s.Feature.File, s.Line) }

// Problem is one thing wrong with a suite, with where and what to do.
type Problem struct {
	File string
	Line int
	Msg  string
	Hint string
}

func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		loc = fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	s := loc + ": " + p.Msg
	if p.Hint != "" {
		s += "\n    hint: " + p.Hint
	}
	return s
}

// Load parses every .feature file under fsys (recursively, in path order).
// Files that do not parse are returned as problems; the others load.
func Load(fsys fs.FS, source string) (*Suite, []Problem) {
	s := &Suite{Source: source, FS: fsys}
	var problems []Problem
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".feature") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return s, []Problem{{File: source, Msg: fmt.Sprintf("cannot read the feature folder: %v", err), Hint: "pass an existing folder to --features"}}
	}
	sort.Strings(files)
	if len(files) == 0 {
		return s, []Problem{{File: source, Msg: "no .feature files found", Hint: "put one capability per .feature file in the folder given to --features"}}
	}
	for _, f := range files {
		if p := tooLarge(fsys, f); p != nil {
			problems = append(problems, *p)
			continue
		}
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			problems = append(problems, Problem{File: f, Msg: fmt.Sprintf("cannot read: %v", err)})
			continue
		}
		if long := longLines(f, data); len(long) > 0 {
			problems = append(problems, long...)
			continue
		}
		feat, perr := parse(f, data)
		if perr != nil {
			problems = append(problems, perr...)
			continue
		}
		switch {
		case feat == nil:
		case feat.IsClient():
			s.Clients = append(s.Clients, feat)
		default:
			s.Features = append(s.Features, feat)
		}
	}
	return s, problems
}

func parse(file string, data []byte) (*Feature, []Problem) {
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(data), (&messages.Incrementing{}).NewId)
	if err != nil {
		if p, ok := docStringProblem(file, data, err); ok {
			return nil, []Problem{p}
		}
		return nil, syntaxProblems(file, err)
	}
	if doc.Feature == nil {
		return nil, []Problem{{File: file, Line: 1, Msg: "no Feature: in this file", Hint: "start the file with \"Feature: <capability name>\" and its tags above it"}}
	}
	gf := doc.Feature
	f := &Feature{File: file, Line: int(gf.Location.Line), Name: gf.Name, Description: trimDescription(gf.Description), Content: data}
	f.About, f.CommonCauses, f.HowToFix = ParseDescription(f.Description)
	for _, t := range gf.Tags {
		f.Tags = append(f.Tags, t.Name)
	}
	f.readFallbacks(gf.Tags)
	f.Capability, f.Check = tagValue(f.Tags, TagCapability), tagValue(f.Tags, TagCheck)
	f.Severity = results.Severity(tagValue(f.Tags, TagSeverity))
	f.readClient()
	f.comments = map[int]bool{}
	for _, c := range doc.Comments {
		f.comments[int(c.Location.Line)] = true
	}
	var background []Step
	addScenario := func(sc *messages.Scenario) {
		s := &Scenario{Feature: f, Name: sc.Name, Line: int(sc.Location.Line), Tags: append([]string(nil), f.Tags...), start: startLine(sc.Location, sc.Tags)}
		for _, t := range sc.Tags {
			s.Tags = append(s.Tags, t.Name)
		}
		f.noteScenarioFallbacks(sc.Tags)
		if len(sc.Examples) > 0 {
			s.outline = int(sc.Examples[0].Location.Line)
		}
		var wf *Workflow
		if f.IsClient() {
			wf = readWorkflow(sc)
		}
		s.Steps = append(append([]Step(nil), background...), outlineSteps(sc)...)
		for _, t := range s.Tags {
			s.Verify = s.Verify || t == TagVerify
		}
		if f.IsClient() {
			s.Workflow, s.Verify = wf, true
		}
		f.Scenarios = append(f.Scenarios, s)
	}
	for _, c := range gf.Children {
		switch {
		case c.Background != nil:
			background = append(background, steps(c.Background.Steps)...)
		case c.Scenario != nil:
			addScenario(c.Scenario)
		case c.Rule != nil:
			var ruleBackground []Step
			for _, rc := range c.Rule.Children {
				if rc.Background != nil {
					ruleBackground = steps(rc.Background.Steps)
				}
				if rc.Scenario != nil {
					saved := background
					background = append(append([]Step(nil), background...), ruleBackground...)
					addScenario(rc.Scenario)
					background = saved
				}
			}
		}
	}
	setEnds(f, gf)
	return f, nil
}

// startLine is where an element begins: its first tag, else its keyword.
func startLine(at *messages.Location, tags []*messages.Tag) int {
	l := int(at.Line)
	for _, t := range tags {
		l = min(l, int(t.Location.Line))
	}
	return l
}

// setEnds sets each scenario's end: the start of the element after it.
func setEnds(f *Feature, gf *messages.Feature) {
	var starts []int
	for _, c := range gf.Children {
		switch {
		case c.Background != nil:
			starts = append(starts, int(c.Background.Location.Line))
		case c.Scenario != nil:
			starts = append(starts, startLine(c.Scenario.Location, c.Scenario.Tags))
		case c.Rule != nil:
			starts = append(starts, startLine(c.Rule.Location, c.Rule.Tags))
			for _, rc := range c.Rule.Children {
				if rc.Background != nil {
					starts = append(starts, int(rc.Background.Location.Line))
				}
				if rc.Scenario != nil {
					starts = append(starts, startLine(rc.Scenario.Location, rc.Scenario.Tags))
				}
			}
		}
	}
	sort.Ints(starts)
	if len(starts) > 0 {
		f.about = starts[0]
	}
	for _, sc := range f.Scenarios {
		if i := sort.SearchInts(starts, sc.start+1); i < len(starts) {
			sc.end = starts[i]
		}
	}
}

// outlineSteps returns a scenario's steps; for a Scenario Outline, the
// steps of every example row with its <name> values filled in, as godog
// runs them, so that validation sees what will run.
func outlineSteps(sc *messages.Scenario) []Step {
	var out []Step
	for _, ex := range sc.Examples {
		if ex.TableHeader == nil {
			continue
		}
		for _, row := range ex.TableBody {
			var pairs []string
			for i, cell := range row.Cells {
				if i < len(ex.TableHeader.Cells) {
					pairs = append(pairs, "<"+ex.TableHeader.Cells[i].Value+">", cell.Value)
				}
			}
			r := strings.NewReplacer(pairs...)
			for _, st := range steps(sc.Steps) {
				st.Text = r.Replace(st.Text)
				out = append(out, st)
			}
		}
	}
	if out == nil {
		return steps(sc.Steps)
	}
	return out
}

func steps(in []*messages.Step) []Step {
	out := make([]Step, 0, len(in))
	for _, s := range in {
		st := Step{Keyword: strings.TrimSpace(s.Keyword), Text: s.Text, Line: int(s.Location.Line), DocString: s.DocString != nil, Table: s.DataTable != nil}
		if s.DocString != nil {
			st.Doc, st.DocType = s.DocString.Content, s.DocString.MediaType
		}
		out = append(out, st)
	}
	return out
}

func trimDescription(d string) string {
	lines := strings.Split(d, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(strings.TrimPrefix(l, "  "), " \t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func tagValue(tags []string, prefix string) string {
	v := ""
	for _, t := range tags {
		if strings.HasPrefix(t, prefix) {
			v = strings.TrimPrefix(t, prefix) // the last one wins, as in scenario overrides
		}
	}
	return v
}

// syntaxProblems turns gherkin's composite parse error into one problem a
// line.
func syntaxProblems(file string, err error) []Problem {
	var out []Problem
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "Parser errors:") {
			continue
		}
		p := Problem{File: file, Msg: "Gherkin syntax error: " + line, Hint: "see docs/writing-scenarios.md for the shape of a feature file"}
		var l, c int
		if n, _ := fmt.Sscanf(line, "(%d:%d)", &l, &c); n == 2 {
			p.Line = l
			if i := strings.Index(line, ")"); i >= 0 {
				p.Msg = "Gherkin syntax error:" + line[i+1:]
			}
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		out = append(out, Problem{File: file, Msg: "Gherkin syntax error: " + err.Error()})
	}
	return out
}

// Select returns the scenarios matching a tag expression (godog's syntax:
// "," is or, "&&" is and, "~" is not), in suite order. An empty expression
// selects everything.
func (s *Suite) Select(expr string) []*Scenario {
	var out []*Scenario
	for _, f := range s.Features {
		for _, sc := range f.Scenarios {
			if MatchTags(expr, sc.Tags) {
				out = append(out, sc)
			}
		}
	}
	return out
}

// MatchTags evaluates a godog tag expression against tags.
func MatchTags(expr string, tags []string) bool {
	if strings.TrimSpace(expr) == "" {
		return true
	}
	has := map[string]bool{}
	for _, t := range tags {
		has[strings.TrimPrefix(t, "@")] = true
	}
	for _, alt := range strings.Split(expr, ",") {
		ok := true
		for _, term := range strings.Split(alt, "&&") {
			term = strings.ReplaceAll(strings.TrimSpace(term), "@", "")
			if strings.HasPrefix(term, "~") {
				ok = ok && !has[term[1:]]
			} else {
				ok = ok && term != "" && has[term]
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// CheckExpr is the tag expression that selects one check.
func CheckExpr(check string) string { return TagCheck + check }

// Checks lists the check ids in the suite, sorted.
func (s *Suite) Checks() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range s.Features {
		if f.Check != "" && !seen[f.Check] {
			seen[f.Check] = true
			out = append(out, f.Check)
		}
	}
	sort.Strings(out)
	return out
}

// Base returns the file name of a feature, for messages.
func (f *Feature) Base() string { return path.Base(f.File) }
