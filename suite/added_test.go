package suite

import "testing"

// The default selection runs the seed's check and every feature added
// with --add-features, whatever their check; --check still picks one.
func TestChooseRunsAddedFeatures(t *testing.T) {
	s := chooseSuite(t, true)
	s.Features[2].Added = true // gamma, of another check
	sel, err := s.Choose("", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := capabilities(sel); got != "alpha,gamma" {
		t.Errorf("default selection %s, want alpha,gamma", got)
	}
	if sel.Expr != "@check:"+DefaultCheck+" + --add-features" {
		t.Errorf("expr %q", sel.Expr)
	}
	sel, _ = s.Choose("", DefaultCheck)
	if got := capabilities(sel); got != "alpha" {
		t.Errorf("--check %s selects %s, want alpha", DefaultCheck, got)
	}
}

// A copy of a built-in verify-only capability gets no warning the
// built-in does not get; a verify-only capability of one's own does.
func TestIntendedVerifyOnlyNotWarned(t *testing.T) {
	s := chooseSuite(t, true)
	for _, f := range s.Features {
		for _, sc := range f.Scenarios {
			sc.Verify = true
		}
	}
	s.IntendedVerifyOnly = map[string]bool{"alpha": true}
	lint := func(string) error { return nil }
	w := s.Warnings(lint)
	if len(w) != 2 {
		t.Fatalf("%d warnings, want beta's and gamma's: %v", len(w), w)
	}
	for _, p := range w {
		if p.File == "a.feature" {
			t.Errorf("a copy of a built-in is warned: %v", p)
		}
	}
}
