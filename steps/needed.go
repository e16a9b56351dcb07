package steps

// Needed returns the step definitions that match at least one of texts (the
// step texts of the scenarios a run will run, as godog runs them), in
// vocabulary order. Registered instead of the whole vocabulary, they make
// godog reach the same definition for every one of those steps, and the
// same ambiguities, since every definition that matches any of them is
// kept; but godog tries each step (in strict mode, against every
// definition) and registers each definition (with a runtime.Caller) for
// far fewer. Nothing matching, it returns nil: the whole vocabulary.
func Needed(texts []string) []*Def {
	var out []*Def
	for _, d := range defs {
		for _, t := range texts {
			if d.Matches(t) {
				out = append(out, d)
				break
			}
		}
	}
	return out
}

// orVocabulary is only, or the whole vocabulary when only is empty.
func orVocabulary(only []*Def) []*Def {
	if len(only) == 0 {
		return defs
	}
	return only
}
