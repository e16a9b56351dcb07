// Package fallbacktext words the fallbacks of an unsupported capability
// for every writer, so that the console, JUnit, report.html and summary.md
// say the same thing: one phrase per declared fallback, in order of
// preference, joined into one line per registry and capability.
package fallbacktext

import (
	"fmt"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// Phrase words one fallback, e.g. "fallback single-post-upload works
// (verified)" or "fallback monolithic-upload not run: select --check
// check.oci.spec.push". text escapes what comes from the model.
func Phrase(f results.Fallback, text func(string) string) string {
	p := "fallback " + text(f.Capability) + " "
	switch f.Status {
	case results.Supported:
		p += "works"
	case results.Unsupported:
		p += "does not work"
	case results.NotRun:
		p += "not run"
		if f.Hint != "" {
			p += ": " + text(f.Hint)
		}
		return p
	default:
		// An error, or a status a hand-made file carries: no answer.
		p += "gave no answer (" + text(string(f.Status)) + ")"
	}
	how := "asked"
	if f.Verified {
		how = "verified"
	}
	if f.Deviations > 0 {
		how += fmt.Sprintf(", %d deviation%s", f.Deviations, results.Plural(f.Deviations, "", "s"))
	}
	if !f.Verified && f.Hint != "" {
		how += "; " + text(f.Hint)
	}
	return p + " (" + how + ")"
}

// Phrases words every fallback of c, joined by "; "; "" when it has none.
func Phrases(c results.Capability, text func(string) string) string {
	var out []string
	for _, f := range c.Fallbacks {
		out = append(out, Phrase(f, text))
	}
	return strings.Join(out, "; ")
}

// Line is the one line a writer prints for an unsupported capability with
// fallbacks: "referrers: no — fallback referrers-tag-fallback works
// (verified)"; "" when c has no fallbacks.
func Line(c results.Capability, text func(string) string) string {
	if len(c.Fallbacks) == 0 {
		return ""
	}
	return text(c.ID) + ": no — " + Phrases(c, text)
}
