package features_test

import (
	"regexp"
	"testing"

	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/suite"
)

// maintainerNote matches what belongs in a # comment, not in a
// description users read in report.html: evidence of what a zoo registry
// did ("(curl, 2026-12-02: …)", "(crane: 500)", "Seen with curl", "every
// zoo registry"), or a zoo registry named in parentheses as a witness.
var maintainerNote = regexp.MustCompile(`(?i)\(curl\b|curl, 20\d\d-|\b20\d\d-\d\d-\d\d\b|seen with curl|\bzoo\b|\((crane|olareg|distribution)(:|\)| answers|'s registry| keeps)|\((distribution|crane|olareg), (crane|olareg)`)

// Descriptions are user-facing (issue 24 item 7): no maintainer's notes.
func TestDescriptionsHaveNoMaintainerNotes(t *testing.T) {
	s, problems := suite.Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	for _, f := range s.Features {
		if m := maintainerNote.FindString(f.Description); m != "" {
			t.Errorf("%s: the description holds a maintainer's note (%q): move it to a # comment", f.File, m)
		}
	}
}
