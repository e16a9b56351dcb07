package fallbacktext

import (
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

func TestPhrase(t *testing.T) {
	id := func(s string) string { return s }
	cases := []struct {
		f    results.Fallback
		want string
	}{
		{results.Fallback{Capability: "a", Status: results.Supported, Verified: true}, "fallback a works (verified)"},
		{results.Fallback{Capability: "a", Status: results.Unsupported, Verified: true}, "fallback a does not work (verified)"},
		{results.Fallback{Capability: "a", Status: results.Supported}, "fallback a works (asked)"},
		{results.Fallback{Capability: "a", Status: results.Unsupported, Hint: "--verify does it"}, "fallback a does not work (asked; --verify does it)"},
		{results.Fallback{Capability: "a", Status: results.Error, Verified: true}, "fallback a gave no answer (error) (verified)"},
		{results.Fallback{Capability: "a", Status: results.NotRun, Hint: "needs --verify"}, "fallback a not run: needs --verify"},
		{results.Fallback{Capability: "a", Status: results.NotRun}, "fallback a not run"},
		{results.Fallback{Capability: "a", Status: results.Supported, Verified: true, Deviations: 1}, "fallback a works (verified, 1 deviation)"},
		{results.Fallback{Capability: "a", Status: results.Supported, Deviations: 2, Hint: "--verify does it"}, "fallback a works (asked, 2 deviations; --verify does it)"},
	}
	for _, c := range cases {
		if got := Phrase(c.f, id); got != c.want {
			t.Errorf("%+v: %q, want %q", c.f, got, c.want)
		}
	}
}

func TestLineEscapesAndJoins(t *testing.T) {
	c := results.Capability{ID: "x<", Status: results.Unsupported, Fallbacks: []results.Fallback{
		{Capability: "a<", Status: results.Supported, Verified: true},
		{Capability: "b", Status: results.NotRun, Hint: "select --check c<"},
	}}
	up := strings.ToUpper
	if got, want := Line(c, up), "X<: no — fallback A< works (verified); fallback B not run: SELECT --CHECK C<"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if Line(results.Capability{ID: "x", Status: results.Unsupported}, up) != "" {
		t.Error("a capability without fallbacks has a line")
	}
}
