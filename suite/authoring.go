package suite

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/ocicaps/ocicaps/internal/editdistance"
)

// Mistakes of authors that Gherkin and the step vocabulary accept but that
// go wrong against a registry: a doc string left open, a tag misspelt
// close to one ocicaps reads, a placeholder no step saves.

// unclosedDocString finds the line of a doc string separator (""" or ```)
// that opens a doc string never closed: gherkin reports the end of the
// file, which is not where the mistake is. 0 when every one is closed.
func unclosedDocString(data []byte) int {
	open, sep := 0, ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		t := strings.TrimSpace(sc.Text())
		switch {
		case open == 0 && (strings.HasPrefix(t, `"""`) || strings.HasPrefix(t, "```")):
			open, sep = n, t[:3]
		case open != 0 && t == sep:
			open = 0
		}
	}
	return open
}

// docStringProblem rewrites gherkin's end-of-file error about a doc string
// into one at the line that opened it.
func docStringProblem(file string, data []byte, err error) (Problem, bool) {
	if !strings.Contains(err.Error(), "#DocStringSeparator") {
		return Problem{}, false
	}
	line := unclosedDocString(data)
	if line == 0 {
		return Problem{}, false
	}
	return Problem{File: file, Line: line, Msg: "the doc string opened on this line is never closed",
		Hint: `end it with a line holding only """ (indented like the opening one)`}, true
}

// reserved are the tags and tag prefixes ocicaps reads.
var reserved = []string{TagVerify, TagCapability, TagCheck, TagSeverity, TagFallback, TagClient, TagWorkflow, TagNeeds, TagOtherwise}

// misspeltTag returns the reserved tag or prefix a tag is a near miss of
// ("@verfiy", "@capabilty:x"), or "". Tags of one's own (@slow) that are
// not near one are fine: --tags selects by them.
func misspeltTag(tag string) string {
	name, _, hasValue := strings.Cut(tag, ":")
	for _, r := range reserved {
		rname := strings.TrimSuffix(r, ":")
		if strings.EqualFold(name, rname) {
			if name != rname || hasValue != strings.HasSuffix(r, ":") {
				return r
			}
			return ""
		}
	}
	for _, r := range reserved {
		rname := strings.TrimSuffix(r, ":")
		if d := editdistance.Levenshtein(strings.ToLower(name), rname); d > 0 && d <= 2 && len(name) > 3 {
			return r
		}
	}
	return ""
}

// tags lists near misses of reserved tags on the feature and its
// scenarios.
func (ps *problems) tags(f *Feature) {
	seen := map[string]bool{}
	check := func(tag string, line int) {
		if seen[fmt.Sprint(tag, line)] {
			return
		}
		seen[fmt.Sprint(tag, line)] = true
		if r := misspeltTag(tag); r != "" {
			want := r
			if strings.HasSuffix(r, ":") {
				_, v, _ := strings.Cut(tag, ":")
				want = r + v
			}
			ps.add(f.File, line, fmt.Sprintf("did you mean %s? ocicaps reads %s", want, strings.Join(reserved, ", ")),
				"unknown tag %s, close to %s", tag, r)
		}
	}
	for _, t := range f.Tags {
		check(t, f.tagLine(t))
	}
	for _, sc := range f.Scenarios {
		line := sc.start
		if line == 0 {
			line = sc.Line
		}
		for _, t := range sc.Tags[len(f.Tags):] {
			check(t, line)
		}
	}
}

var placeholderRE = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9_.-]*)\}`)

// savedAsRE finds the names a step saves: a quoted argument after " as ".
var savedAsRE = regexp.MustCompile(`\bas "((?:[^"\\]|\\.)*)"`)

// derived are the suffixes saving steps add to a name ({blob.digest},
// {image.size}; the Link walk its {all.end}, {all.problem}, {all.pages}
// and {all.count}).
var derived = []string{"digest", "sha512", "size", "layer", "config", "end", "problem", "pages", "count"}

// placeholders checks that every {name} of a scenario's steps is a
// built-in variable or saved by one of its steps: a name nobody saves
// would fail against every registry. A near miss gets "did you mean".
func (ps *problems) placeholders(f *Feature, sc *Scenario, builtins []string) {
	known := map[string]bool{}
	for _, b := range builtins {
		known[b] = true
	}
	for _, st := range sc.Steps {
		for _, m := range savedAsRE.FindAllStringSubmatch(st.Text, -1) {
			known[m[1]] = true
			for _, d := range derived {
				known[m[1]+"."+d] = true
			}
		}
	}
	names := make([]string, 0, len(known))
	for k := range known {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, st := range sc.Steps {
		for _, m := range placeholderRE.FindAllStringSubmatch(st.Text, -1) {
			if known[m[1]] {
				continue
			}
			hint := "save it in an earlier step (e.g. I save the JSON field \"config.digest\" as \"" + m[1] + "\"), or use a built-in variable (ocicaps steps lists them)"
			if c := closestName(m[1], names); c != "" {
				hint = fmt.Sprintf("did you mean {%s}?", c)
			}
			ps.add(f.File, st.Line, hint, "step %q: {%s} is neither a built-in variable nor saved by a step of scenario %q", st.Text, m[1], sc.Name)
		}
	}
}

// closestName is the name of names closest to got: one or two edits
// away, or got a shortened form of it ({repo} for {repository}).
func closestName(got string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		d := editdistance.Levenshtein(got, n)
		if len(got) >= 4 && strings.HasPrefix(n, got) {
			d = 2
		}
		if d > 0 && d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// Authoring lists what validates as Gherkin and steps but fails against
// every registry: placeholders that are neither built-in (builtins, without
// braces) nor saved by a step of their scenario.
func (s *Suite) Authoring(builtins []string) []Problem {
	var out problems
	for _, f := range s.Features {
		for _, sc := range f.Scenarios {
			out.placeholders(f, sc, builtins)
		}
	}
	return out
}

// MisspeltTags lists tags close to the ones ocicaps reads ("@verfiy"). They
// are warnings, not problems: a tag of one's own may be near a reserved one
// by chance (@chunk is two edits from @check), and a file that validated
// before must keep validating.
func (s *Suite) MisspeltTags() []Problem {
	var out problems
	for _, f := range s.Features {
		out.tags(f)
	}
	return out
}
