package suite

import (
	"fmt"
	"strings"

	messages "github.com/cucumber/messages/go/v34"
)

// A fallback is a relation between two capabilities, declared in the
// feature file of the one that may be missing:
//
//	@capability:chunked-upload @fallback:single-post-upload
//
// says that a client which finds chunked-upload unsupported can upload with
// single-post-upload instead. The tag repeats, in order of preference. The
// runner reports, for each unsupported capability, how each of its
// fallbacks fared on the same registry in the same run.

type tagAt struct {
	name string
	line int
}

// readFallbacks keeps the feature's @fallback: values in order, and where
// every tag is written.
func (f *Feature) readFallbacks(tags []*messages.Tag) {
	f.tagLines = map[string]int{}
	for _, t := range tags {
		if _, seen := f.tagLines[t.Name]; !seen {
			f.tagLines[t.Name] = int(t.Location.Line)
		}
		if id, ok := strings.CutPrefix(t.Name, TagFallback); ok {
			f.Fallbacks = append(f.Fallbacks, id)
		}
	}
}

// noteScenarioFallbacks remembers @fallback: tags written on a scenario:
// a fallback relates capabilities, not scenarios, so validation refuses
// them there rather than let them mean something half.
func (f *Feature) noteScenarioFallbacks(tags []*messages.Tag) {
	for _, t := range tags {
		if strings.HasPrefix(t.Name, TagFallback) {
			f.scenarioFallbacks = append(f.scenarioFallbacks, tagAt{t.Name, int(t.Location.Line)})
		}
	}
}

// tagLine is the line of the feature's tag, or the Feature: line.
func (f *Feature) tagLine(tag string) int {
	if l, ok := f.tagLines[tag]; ok {
		return l
	}
	return f.Line
}

// fallbacks checks the feature's @fallback: tags: each must name a
// capability id, not the feature's own, once.
func (ps *problems) fallbacks(f *Feature) {
	seen := map[string]bool{}
	for _, id := range f.Fallbacks {
		line := f.tagLine(TagFallback + id)
		switch {
		case id == "":
			ps.add(f.File, line, "name the capability a client can use instead, e.g. @fallback:single-post-upload", "@fallback: names no capability")
		case !capabilityIDRE.MatchString(id):
			ps.add(f.File, line, "write the id of the fallback capability as its @capability: tag has it (lower-case words joined by '-')", "fallback %q is not a capability id", id)
		case id == f.Capability:
			ps.add(f.File, line, "name another capability: a fallback is what a client does when this one is missing", "capability %q names itself as its fallback", id)
		case seen[id]:
			ps.add(f.File, line, "give each fallback once, in order of preference", "fallback %q is given twice", id)
		}
		seen[id] = true
	}
	for _, t := range f.scenarioFallbacks {
		ps.add(f.File, t.line, "move the tag above Feature: a fallback relates capabilities, not scenarios", "%s is on a scenario", t.name)
	}
}

// fallbackWarnings names the fallbacks that no capability of the suite
// has. Not an error: a folder given to --features may declare a fallback
// to a capability of the built-in suite or of another folder, and a
// feature written before its fallback's file still means the same; the
// reports then say the fallback was not run.
func (s *Suite) fallbackWarnings() problems {
	var out problems
	have := map[string]bool{}
	for _, f := range s.Features {
		have[f.Capability] = true
	}
	for _, f := range s.Features {
		for _, id := range f.Fallbacks {
			if id != "" && capabilityIDRE.MatchString(id) && id != f.Capability && !have[id] {
				out.add(f.File, f.tagLine(TagFallback+id), "add a feature with @capability:"+id+" to the suite, or correct the id (`ocicaps list` shows them)",
					"fallback %q of capability %q is no capability of this suite: the reports will say it was not run", id, f.Capability)
			}
		}
	}
	return out
}

// Feature looks up the feature of capability id (nil when the suite has
// none).
func (s *Suite) Feature(id string) *Feature {
	for _, f := range s.Features {
		if f.Capability == id {
			return f
		}
	}
	return nil
}

// FallbackList words the relation for `ocicaps list`: "fallback: a, b",
// or "" when the capability declares none.
func (f *Feature) FallbackList() string {
	if len(f.Fallbacks) == 0 {
		return ""
	}
	return fmt.Sprintf("fallback: %s", strings.Join(f.Fallbacks, ", "))
}
