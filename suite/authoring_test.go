package suite

import (
	"strings"
	"testing"
	"testing/fstest"
)

var testBuiltins = []string{"repository", "tag", "status", "answer", "bodyDigest", "scratch"}

func authoring(t *testing.T, text string) []Problem {
	t.Helper()
	s, problems := Load(fstest.MapFS{"x.feature": {Data: []byte(text)}}, "test")
	return append(problems, s.Authoring(testBuiltins)...)
}

func wantProblem(t *testing.T, problems []Problem, line int, msg, hint string) {
	t.Helper()
	for _, p := range problems {
		if p.Line == line && strings.Contains(p.Msg, msg) && strings.Contains(p.Hint, hint) {
			return
		}
	}
	t.Errorf("no problem at line %d with %q and hint %q in %v", line, msg, hint, problems)
}

// A tag close to one ocicaps reads is a warning with "did you mean": a
// scenario tagged @verfiy would run as a probe (issue 24 items 10, 11). A
// warning, not a problem: the file validated before and must keep
// validating, and a tag of one's own can be near a reserved one by chance.
func TestMisspeltTags(t *testing.T) {
	const text = `@capabilty:x @check:check.a @severity:info
Feature: x

  @verfiy
  Scenario: s
    When I send a GET request to "/v2/"

  @slow @Verify
  Scenario: t
    When I send a GET request to "/v2/"
`
	s, problems := Load(fstest.MapFS{"x.feature": {Data: []byte(text)}}, "test")
	for _, q := range append(problems, s.Authoring(testBuiltins)...) {
		if strings.Contains(q.Msg, "unknown tag") {
			t.Errorf("a misspelt tag stops the file from validating: %v", q)
		}
	}
	p := s.MisspeltTags()
	wantProblem(t, p, 1, "unknown tag @capabilty:x, close to @capability:", "did you mean @capability:x?")
	wantProblem(t, p, 4, "unknown tag @verfiy, close to @verify", "did you mean @verify?")
	wantProblem(t, p, 8, "unknown tag @Verify", "did you mean @verify?")
	for _, q := range p {
		if strings.Contains(q.Msg, "@slow") {
			t.Errorf("a tag of one's own is refused: %v", q)
		}
	}
}

// A placeholder no step saves is a problem; a near miss of a saved or
// built-in name gets "did you mean".
func TestUnknownPlaceholders(t *testing.T) {
	p := authoring(t, `@capability:x @check:check.a @severity:info
Feature: x

  Scenario: s
    Given I save 10 random bytes as "blob"
    When I send a HEAD request to "/v2/{repository}/blobs/{blob.digest}"
    Then the capability is supported when the response header "Content-Length" is "{blob.sise}"
    And I send a GET request to "/v2/{repo}/tags/list"
    And I send a GET request to "/v2/{nothing}/x"
`)
	wantProblem(t, p, 7, "{blob.sise} is neither a built-in variable nor saved", "did you mean {blob.size}?")
	wantProblem(t, p, 8, "{repo}", "did you mean {repository}?")
	wantProblem(t, p, 9, "{nothing}", "save it in an earlier step")
	if len(p) != 3 {
		t.Errorf("%d problems, want 3: %v", len(p), p)
	}
}

// A doc string left open is reported at the line that opened it, not at
// the end of the file (issue 24 item 11).
func TestUnclosedDocString(t *testing.T) {
	p := authoring(t, `@capability:x @check:check.a @severity:info
Feature: x

  Scenario: s
    Given the request body is:
      """
      {"a": 1}
    When I send a PUT request to "/v2/x"
`)
	if len(p) != 1 {
		t.Fatalf("%d problems, want 1: %v", len(p), p)
	}
	wantProblem(t, p, 6, "the doc string opened on this line is never closed", `end it with a line holding only """`)
}
