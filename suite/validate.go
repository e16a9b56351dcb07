package suite

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/ocicaps/ocicaps/results"
)

// StepChecker tells whether a step text (with or without a doc string)
// is in the vocabulary; its error says what is wrong and, through a
// Hint() string method (see Hinter), what to write instead.
type StepChecker func(text string, docString bool) error

// Hinter is an error that says what to write instead.
type Hinter interface {
	error
	Hint() string
}

func hintOf(err error) string {
	var h Hinter
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

var capabilityIDRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
var checkIDRE = regexp.MustCompile(`^[a-z0-9]+(\.[a-z0-9-]+)+$`)

// problems collects what Validate finds, each with where and what to do.
type problems []Problem

func (ps *problems) add(file string, line int, hint, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// Validate checks metadata tags and steps without touching a registry.
func (s *Suite) Validate(check StepChecker) []Problem {
	var out problems
	firstFile := map[string]*Feature{}
	for _, f := range s.Features {
		out.capability(f, firstFile)
		out.metadata(f)
		out.fallbacks(f)
		for _, sc := range f.Scenarios {
			out.scenario(f.File, sc, check)
			out.capabilityRules(f, sc)
		}
	}
	return append(out, s.validateClients(check)...)
}

// capability checks the feature's capability id, unique in the suite.
func (ps *problems) capability(f *Feature, firstFile map[string]*Feature) {
	switch {
	case f.Capability == "":
		ps.add(f.File, f.Line, "tag the feature, e.g. @capability:tag-listing (kebab-case, unique in the suite)", "feature %q has no @capability:<id> tag", f.Name)
	case !capabilityIDRE.MatchString(f.Capability):
		ps.add(f.File, f.Line, "use lower-case words joined by '-', e.g. @capability:blob-range-requests", "capability id %q is not kebab-case", f.Capability)
	default:
		if prev, dup := firstFile[f.Capability]; dup {
			ps.add(f.File, f.Line, "give each capability its own id, or merge the two files", "capability id %q is already used by %s:%d", f.Capability, prev.File, prev.Line)
		} else {
			firstFile[f.Capability] = f
		}
	}
}

// metadata checks the feature's check and severity, and that it has
// scenarios.
func (ps *problems) metadata(f *Feature) {
	switch {
	case f.Check == "":
		ps.add(f.File, f.Line, "tag the feature with the check it belongs to, e.g. @check:"+DefaultCheck, "feature %q has no @check:<id> tag", f.Name)
	case !checkIDRE.MatchString(f.Check):
		ps.add(f.File, f.Line, "check ids are dotted lower-case words, e.g. "+DefaultCheck, "check id %q is not a dotted id", f.Check)
	}
	switch f.Severity {
	case "":
		ps.add(f.File, f.Line, "add @severity:info, @severity:warn or @severity:fail: how bad it is when the capability is missing", "feature %q has no @severity:<level> tag", f.Name)
	case results.Info, results.Warn, results.Fail:
	default:
		ps.add(f.File, f.Line, "use @severity:info, @severity:warn or @severity:fail", "unknown severity %q", f.Severity)
	}
	if len(f.Scenarios) == 0 {
		ps.add(f.File, f.Line, "add a Scenario: with the steps that probe the capability", "feature %q has no scenarios", f.Name)
	}
}

// scenario checks every step of a scenario against the vocabulary.
func (ps *problems) scenario(file string, sc *Scenario, check StepChecker) {
	if len(sc.Steps) == 0 {
		ps.add(file, sc.Line, "add steps; `ocicaps steps` lists the vocabulary", "scenario %q has no steps", sc.Name)
	}
	for _, st := range sc.Steps {
		if err := check(st.Text, st.DocString); err != nil {
			ps.add(file, st.Line, hintOf(err), "step %q: %s", st.Text, err)
		}
		if st.Table {
			ps.add(file, st.Line, "write one step per value instead of a table", "step %q has a data table, which no step of the vocabulary takes", st.Text)
		}
	}
}

// DocChecker tells whether a step's doc string is valid for that step
// (e.g. a manifest the step pushes); like StepChecker, its error may carry
// a Hint().
type DocChecker func(text, docType, doc string) error

// ValidateDocs checks the doc string of every step that has one, each
// problem at the step's line.
func (s *Suite) ValidateDocs(check DocChecker) []Problem {
	var out problems
	for _, f := range s.Features {
		for _, sc := range f.Scenarios {
			for _, st := range sc.Steps {
				if !st.DocString {
					continue
				}
				if err := check(st.Text, st.DocType, st.Doc); err != nil {
					out.add(f.File, st.Line, hintOf(err), "the doc string of step %q: %s", st.Text, err)
				}
			}
		}
	}
	return out
}

// StepLinter returns a warning about a valid step that is likely a
// mistake (an error, with a Hint() as for StepChecker), or nil.
type StepLinter func(text string) error

// Warnings lists what is valid but likely a mistake: steps the linter
// warns about, fallbacks to a capability the suite does not have, and, in
// a suite of the user's own (not Builtin), capabilities with only @verify
// scenarios, which a probe run (without --verify) leaves out. They do not
// make a suite invalid. The built-in suite's verify-only capabilities are
// meant so (what cannot be asked without storing something is only done);
// a probe run's header counts them and `ocicaps list` marks them instead,
// so that a run of the built-in suite prints no warning.
func (s *Suite) Warnings(lint StepLinter) []Problem {
	var out problems
	seen := map[string]bool{} // background steps come with every scenario
	for _, f := range s.Features {
		for _, sc := range f.Scenarios {
			for _, st := range sc.Steps {
				at := fmt.Sprintf("%s:%d", f.File, st.Line)
				if seen[at] {
					continue
				}
				seen[at] = true
				if err := lint(st.Text); err != nil {
					out.add(f.File, st.Line, hintOf(err), "step %q: %s", st.Text, err)
				}
			}
		}
		if !s.Builtin && !s.IntendedVerifyOnly[f.Capability] && f.VerifyOnly() {
			out.add(f.File, f.Line, "add a Scenario without @verify that asks the registry, or always run it with --verify",
				"capability %q has only @verify scenarios: a run without --verify gives it no verdict on any registry", f.Capability)
		}
	}
	out = append(out, s.fallbackWarnings()...)
	return out
}
