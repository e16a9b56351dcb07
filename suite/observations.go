package suite

// ObservationChecker follows a scenario's step texts in order and returns,
// for each step that judges a kind of observation its condition cannot
// (a header of a program's run), the step's index and what is wrong (with
// a Hint, see Hinter).
type ObservationChecker func(texts []string) []IndexedError

// IndexedError is a problem with step Step of a scenario.
type IndexedError struct {
	Step int
	Err  error
}

// ValidateObservations checks, in every scenario, that each condition
// judges a kind of observation it can: validate's check that needs the
// steps before a step, not only the step.
func (s *Suite) ValidateObservations(check ObservationChecker) []Problem {
	var out problems
	for _, f := range s.Features {
		for _, sc := range f.Scenarios {
			texts := make([]string, len(sc.Steps))
			for i, st := range sc.Steps {
				texts[i] = st.Text
			}
			for _, p := range check(texts) {
				st := sc.Steps[p.Step]
				out.add(f.File, st.Line, hintOf(p.Err), "step %q: %s", st.Text, p.Err)
			}
		}
	}
	return out
}
