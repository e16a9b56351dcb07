package suite

import (
	"fmt"
	"strings"

	messages "github.com/cucumber/messages/go/v34"
)

// Client workflow files (client readiness, docs/writing-client-workflows.md):
// a feature tagged @client:<id> holds the workflows of one client program,
// one scenario each. They are loaded beside the capabilities but kept
// apart (Suite.Clients): no tag expression or check selects them as a
// capability; they run only with `ocicaps run --clients`.
const (
	TagClient    = "@client:"
	TagWorkflow  = "@workflow:"
	TagNeeds     = "@needs:"
	TagOtherwise = "@otherwise:"
	// TagFailsWithout names a capability without which the registry
	// refuses the operation outright: the client then fails, loudly,
	// where @otherwise:unsafe says what happens when the registry
	// accepts the operation and does it wrong.
	TagFailsWithout = "@fails-without:"
)

// The outcomes @otherwise: may name.
const (
	OtherwiseFails  = "fails"
	OtherwiseUnsafe = "unsafe"
)

// Description lines of a workflow scenario and of a client feature.
const (
	lineSettings         = "Settings:"
	lineFallbackSettings = "Fallback settings:"
	lineWhenItFails      = "If it fails:"
	lineVersion          = "Version:"
)

// Workflow is what a client scenario's tags and description lines say.
type Workflow struct {
	ID string
	// Needs are the capabilities the workflow uses as the client does by
	// default; Fallbacks those it can use instead, in order of preference.
	Needs, Fallbacks []string
	// FailsWithout are capabilities whose absence makes the outcome fails
	// when neither the needs nor a fallback hold (@fails-without:).
	FailsWithout []string
	// Otherwise is what happens when neither holds: fails or unsafe.
	Otherwise string
	// Settings, FallbackSettings and WhenItFails are the description
	// lines of the same names ("none" in Settings: the defaults do).
	Settings, FallbackSettings, WhenItFails string

	tags []tagAt // every workflow tag, for validation's lines
}

// IsClient tells whether the feature is a client's workflow file.
func (f *Feature) IsClient() bool { return f.Client != "" }

// Source is the scenario's file:line, where a workflow is fixed.
func (s *Scenario) Source() string { return fmt.Sprintf("%s:%d", s.Feature.File, s.Line) }

// readClient sets the client metadata of a feature from its tags and
// description (Version:), when it is a client's.
func (f *Feature) readClient() {
	f.Client = tagValue(f.Tags, TagClient)
	if f.Client == "" && !hasTagPrefix(f.Tags, TagClient) {
		return
	}
	if f.Client == "" {
		f.Client = "-" // tagged, but without an id: validate says so
	}
	var prose []string
	for _, l := range strings.Split(f.Description, "\n") {
		if v, ok := cutLine(l, lineVersion); ok {
			f.VersionCommand = v
			continue
		}
		prose = append(prose, l)
	}
	f.About = strings.TrimSpace(strings.Join(prose, "\n"))
}

func hasTagPrefix(tags []string, prefix string) bool {
	for _, t := range tags {
		if strings.HasPrefix(t, prefix) {
			return true
		}
	}
	return false
}

// cutLine returns the rest of a description line that starts with key.
func cutLine(line, key string) (string, bool) {
	v, ok := strings.CutPrefix(strings.TrimSpace(line), key)
	return strings.TrimSpace(v), ok
}

// readWorkflow sets a client scenario's workflow from its own tags and
// description.
func readWorkflow(sc *messages.Scenario) *Workflow {
	w := &Workflow{}
	for _, t := range sc.Tags {
		at := tagAt{t.Name, int(t.Location.Line)}
		switch {
		case strings.HasPrefix(t.Name, TagWorkflow):
			w.ID = strings.TrimPrefix(t.Name, TagWorkflow)
		case strings.HasPrefix(t.Name, TagNeeds):
			w.Needs = append(w.Needs, strings.TrimPrefix(t.Name, TagNeeds))
		case strings.HasPrefix(t.Name, TagFallback):
			w.Fallbacks = append(w.Fallbacks, strings.TrimPrefix(t.Name, TagFallback))
		case strings.HasPrefix(t.Name, TagFailsWithout):
			w.FailsWithout = append(w.FailsWithout, strings.TrimPrefix(t.Name, TagFailsWithout))
		case strings.HasPrefix(t.Name, TagOtherwise):
			w.Otherwise = strings.TrimPrefix(t.Name, TagOtherwise)
		default:
			continue
		}
		w.tags = append(w.tags, at)
	}
	lines := strings.Split(sc.Description, "\n")
	for _, l := range lines {
		if v, ok := cutLine(l, lineSettings); ok {
			w.Settings = v
		} else if v, ok := cutLine(l, lineFallbackSettings); ok {
			w.FallbackSettings = v
		} else if v, ok := cutLine(l, lineWhenItFails); ok {
			w.WhenItFails = v
		}
	}
	return w
}

// tagLine is where a workflow's tag (name and value) is written, or 0.
func (w *Workflow) tagLine(tag string) int {
	for _, t := range w.tags {
		if t.name == tag {
			return t.line
		}
	}
	return 0
}

// Capabilities are the ids a workflow names: its needs and fallbacks.
func (w *Workflow) Capabilities() []string {
	return append(append(append([]string(nil), w.Needs...), w.Fallbacks...), w.FailsWithout...)
}

// ClientFeature looks up the workflow file of a client (nil when none).
func (s *Suite) ClientFeature(id string) *Feature {
	for _, f := range s.Clients {
		if f.Client == id {
			return f
		}
	}
	return nil
}

// ClientScenarios are every client workflow of the suite, in suite order.
func (s *Suite) ClientScenarios() []*Scenario {
	var out []*Scenario
	for _, f := range s.Clients {
		out = append(out, f.Scenarios...)
	}
	return out
}

// WorkflowCapabilities are the capability ids the client workflows name,
// once each, in the order they are first named: the capabilities
// `--clients` adds to a run's selection.
func (s *Suite) WorkflowCapabilities() []string {
	var out []string
	seen := map[string]bool{}
	for _, sc := range s.ClientScenarios() {
		if sc.Workflow == nil {
			continue
		}
		for _, id := range sc.Workflow.Capabilities() {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// ClientView is the suite's client workflow files as a suite of their
// own, for the checks that walk Features (observations, doc strings).
func (s *Suite) ClientView() *Suite {
	return &Suite{Source: s.Source, Builtin: s.Builtin, FS: s.FS, Features: s.Clients, Display: s.Display}
}

// WithClients adds to a selection the scenarios of the capabilities the
// client workflows need (@needs:, @fallback:), in suite order, for
// `ocicaps run --clients`: a workflow is predicted from them.
func (s *Suite) WithClients(sel Selection) Selection {
	need := map[string]bool{}
	for _, id := range s.WorkflowCapabilities() {
		need[id] = true
	}
	chosen := map[*Scenario]bool{}
	for _, sc := range sel.Scenarios {
		chosen[sc] = true
	}
	var out []*Scenario
	added := false
	for _, f := range s.Features {
		for _, sc := range f.Scenarios {
			switch {
			case chosen[sc]:
				out = append(out, sc)
			case need[f.Capability]:
				out = append(out, sc)
				added = true
			}
		}
	}
	sel.Scenarios = out
	if added {
		sel.Expr += " + the capabilities client workflows need (--clients)"
	}
	return sel
}
