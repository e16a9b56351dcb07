package suite

import (
	"regexp"
	"sort"
	"strings"

	"github.com/ocicaps/ocicaps/internal/argv"
)

// runStepRE is the step that runs a program (steps' "I run …"), read
// here to check that a workflow runs its own client.
var runStepRE = regexp.MustCompile(`^I run "((?:\\"|[^"])*)"$`)

// validateClients checks the client workflow files: their tags,
// description lines and steps, each problem with its file:line.
func (s *Suite) validateClients(check StepChecker) problems {
	var out problems
	capabilities := map[string]bool{}
	for _, f := range s.Features {
		capabilities[f.Capability] = true
	}
	firstFile := map[string]*Feature{}
	for _, f := range s.Clients {
		out.client(f, firstFile)
		seen := map[string]int{}
		for _, sc := range f.Scenarios {
			out.workflow(f, sc, seen, capabilities)
			out.scenario(f.File, sc, check)
			out.runSteps(f, sc)
			out.clientRules(f, sc)
		}
	}
	return out
}

// client checks a workflow file's feature: its client id, unique in the
// suite, no capability metadata, its Version: command.
func (ps *problems) client(f *Feature, firstFile map[string]*Feature) {
	line := f.tagLine(TagClient + f.Client)
	switch {
	case f.Client == "-" || !capabilityIDRE.MatchString(f.Client):
		ps.add(f.File, f.tagLine(tagWith(f.Tags, TagClient)), "name the client in lower-case words joined by '-', e.g. @client:oras", "client id %q is not kebab-case", strings.TrimPrefix(f.Client, "-"))
	default:
		if prev, dup := firstFile[f.Client]; dup {
			ps.add(f.File, line, "keep every workflow of a client in one file", "client %q has workflows in %s:%d already", f.Client, prev.File, prev.Line)
		} else {
			firstFile[f.Client] = f
		}
	}
	for _, t := range []string{TagCapability, TagCheck, TagSeverity, TagFallback} {
		if hasTagPrefix(f.Tags, t) {
			ps.add(f.File, f.tagLine(tagWith(f.Tags, t)), "a client's workflow file says what each workflow needs on its scenarios (@needs:, @fallback:); remove "+t+" here",
				"the client workflow file has a %s tag", strings.TrimSuffix(t, ":"))
		}
	}
	if f.VersionCommand != "" {
		ps.program(f, f.Line, f.VersionCommand, "the Version: line")
	}
	if len(f.Scenarios) == 0 {
		ps.add(f.File, f.Line, "add a Scenario: per workflow, tagged @workflow:<id> and @otherwise:fails or @otherwise:unsafe", "client %q has no workflows", f.Client)
	}
}

// tagWith is the first of tags with prefix.
func tagWith(tags []string, prefix string) string {
	for _, t := range tags {
		if strings.HasPrefix(t, prefix) {
			return t
		}
	}
	return prefix
}

// workflow checks a client scenario's tags.
func (ps *problems) workflow(f *Feature, sc *Scenario, seen map[string]int, capabilities map[string]bool) {
	w := sc.Workflow
	switch {
	case w.ID == "":
		ps.add(f.File, sc.Line, "tag the scenario with its workflow id, e.g. @workflow:attach (kebab-case, unique in the file)", "workflow %q has no @workflow:<id> tag", sc.Name)
	case !capabilityIDRE.MatchString(w.ID):
		ps.add(f.File, w.tagLine(TagWorkflow+w.ID), "use lower-case words joined by '-', e.g. @workflow:tag-delete", "workflow id %q is not kebab-case", w.ID)
	default:
		if prev, dup := seen[w.ID]; dup {
			ps.add(f.File, sc.Line, "give each workflow of the client its own id", "workflow id %q is already used on line %d", w.ID, prev)
		} else {
			seen[w.ID] = sc.Line
		}
	}
	switch w.Otherwise {
	case OtherwiseFails, OtherwiseUnsafe:
	case "":
		ps.add(f.File, sc.Line, "say what the client does when neither the needs nor a fallback hold: @otherwise:fails (it stops with an error) or @otherwise:unsafe (it loses or damages data)", "workflow %q has no @otherwise: tag", sc.Name)
	default:
		ps.add(f.File, w.tagLine(TagOtherwise+w.Otherwise), "use @otherwise:fails or @otherwise:unsafe", "unknown @otherwise:%s", w.Otherwise)
	}
	for _, t := range []struct {
		prefix string
		ids    []string
	}{{TagNeeds, w.Needs}, {TagFallback, w.Fallbacks}, {TagFailsWithout, w.FailsWithout}} {
		for _, id := range t.ids {
			line := w.tagLine(t.prefix + id)
			switch {
			case !capabilityIDRE.MatchString(id):
				ps.add(f.File, line, "write the capability's id as its @capability: tag has it (`ocicaps list` shows them)", "%s%s names no capability id", t.prefix, id)
			case !capabilities[id]:
				ps.add(f.File, line, "name a capability of the suite (`ocicaps list` shows them)"+closestHint(id, capabilities), "%s%s: the suite has no capability %q", t.prefix, id, id)
			}
		}
	}
}

// closestHint suggests the capability id nearest a misspelt one.
func closestHint(id string, capabilities map[string]bool) string {
	var ids []string
	for c := range capabilities {
		ids = append(ids, c)
	}
	sort.Strings(ids)
	if c := closestName(id, ids); c != "" {
		return "; did you mean " + c + "?"
	}
	return ""
}

// runSteps checks that every "I run" step of a workflow runs the file's
// client and splits into words.
func (ps *problems) runSteps(f *Feature, sc *Scenario) {
	seen := map[int]bool{} // background steps come with every scenario
	for _, st := range sc.Steps {
		m := runStepRE.FindStringSubmatch(st.Text)
		if m == nil || seen[st.Line] {
			continue
		}
		seen[st.Line] = true
		ps.program(f, st.Line, strings.ReplaceAll(m[1], `\"`, `"`), "the step")
	}
}

// program checks that a command line splits into words and runs the
// feature's client, named as written (not by a placeholder).
func (ps *problems) program(f *Feature, line int, command, what string) {
	words, err := argv.Split(command)
	switch {
	case err != nil:
		ps.add(f.File, line, "quote as a shell does: 'single' or \"double\" quotes (written \\\" in a step), closed on the same line", "%s runs %q: %v", what, command, err)
	case len(words) == 0:
		ps.add(f.File, line, "write the command line to run, e.g. \""+f.Client+" version\"", "%s runs nothing", what)
	case strings.Contains(words[0], "{"):
		ps.add(f.File, line, "write the client's name as the first word, e.g. \""+f.Client+" …\"", "%s runs %q: the program's name comes from a placeholder, and a client's workflow runs only its client", what, words[0])
	case words[0] != f.Client:
		ps.add(f.File, line, "a client's workflow file runs only that client: move the workflow to "+words[0]+"'s file, or correct the program's name",
			"%s runs %q, not the file's client %q", what, words[0], f.Client)
	}
}
