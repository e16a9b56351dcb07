package suite

import (
	"fmt"
	"slices"
	"strings"
)

// AllChecks is the --check value that selects every check of the suite.
const AllChecks = "all"

// Selection is the scenarios a run probes and the words that describe how
// they were chosen (in the console header and the reports).
type Selection struct {
	Scenarios []*Scenario
	// Expr is the tag expression, the check's tag joined on, or "all
	// checks".
	Expr string
}

// Choose picks the scenarios of a run: those matching the tag expression
// tags that belong to check. An empty check means the seed's check
// (DefaultCheck) when no tags are given and the suite has it, else every
// check; AllChecks means every check. Choosing nothing is an error that
// lists the suite's checks, since a run that probes nothing proves nothing.
//
// The default selection also runs every feature of the folders given to
// --add-features (Feature.Added): adding a folder means running it.
func (s *Suite) Choose(tags, check string) (Selection, error) {
	added := false
	if check == "" && tags == "" && slices.Contains(s.Checks(), DefaultCheck) {
		check, added = DefaultCheck, true
	}
	if check == AllChecks {
		check = ""
	}
	var sel Selection
	for _, sc := range s.Select(tags) {
		if check == "" || sc.Feature.Check == check || (added && sc.Feature.Added) {
			sel.Scenarios = append(sel.Scenarios, sc)
		}
	}
	parts := []string{}
	if tags != "" {
		parts = append(parts, tags)
	}
	if check != "" {
		parts = append(parts, CheckExpr(check))
	}
	if added && s.hasAdded() {
		parts[len(parts)-1] += " + --add-features"
	}
	sel.Expr = strings.Join(parts, " && ")
	if sel.Expr == "" {
		sel.Expr = "all checks"
	}
	if len(sel.Scenarios) == 0 {
		return sel, fmt.Errorf("no scenario matches %q; the suite's checks are: %s", sel.Expr, strings.Join(s.Checks(), ", "))
	}
	return sel, nil
}

// VerifyOnly lists, once each and in suite order, the features of which
// every selected scenario is @verify: a run without verify mode gives them
// no verdict. A feature whose probe scenarios the tags left out counts.
func VerifyOnly(scenarios []*Scenario) []*Feature {
	probed := map[*Feature]bool{}
	for _, sc := range scenarios {
		if !sc.Verify {
			probed[sc.Feature] = true
		}
	}
	var out []*Feature
	seen := map[*Feature]bool{}
	for _, sc := range scenarios {
		if f := sc.Feature; !probed[f] && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// hasAdded tells whether a feature of the suite came from --add-features.
func (s *Suite) hasAdded() bool {
	for _, f := range s.Features {
		if f.Added {
			return true
		}
	}
	return false
}
