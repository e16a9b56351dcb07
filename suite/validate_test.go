package suite

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// hinted is a step checker's error with a hint, as steps.Check returns.
type hinted struct{ msg, hint string }

func (h *hinted) Error() string { return h.msg }
func (h *hinted) Hint() string  { return h.hint }

// knownSteps accepts two steps and refuses the rest the way steps.Check
// does, with a hint.
func knownSteps(text string, doc bool) error {
	switch text {
	case `I send a GET request to "/v2/"`, `the capability is supported when the status is 200`:
		return nil
	case "plain error":
		return errors.New("no hint here")
	}
	return &hinted{msg: "not in the vocabulary", hint: `closest step: "I send a GET request to \"/v2/\""`}
}

const good = `@capability:api @check:check.a.b @severity:info
Feature: API
  Scenario: probe
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200
`

func validate(t *testing.T, files map[string]string) []string {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	s, problems := Load(fsys, "test")
	if len(problems) > 0 {
		t.Fatalf("load: %v", problems)
	}
	var out []string
	for _, p := range s.Validate(knownSteps) {
		out = append(out, p.String())
	}
	return out
}

func TestValidateAcceptsAGoodFeature(t *testing.T) {
	if got := validate(t, map[string]string{"a.feature": good}); len(got) != 0 {
		t.Errorf("problems in a good feature: %q", got)
	}
}

func TestValidateReportsWhereAndWhatToDo(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"no capability", strings.Replace(good, "@capability:api ", "", 1), `x.feature:2: feature "API" has no @capability:<id> tag` + "\n    hint: tag the feature"},
		{"bad id", strings.Replace(good, "@capability:api", "@capability:Api_1", 1), `capability id "Api_1" is not kebab-case`},
		{"no check", strings.Replace(good, "@check:check.a.b ", "", 1), `has no @check:<id> tag`},
		{"bad check", strings.Replace(good, "check.a.b", "nodots", 1), `check id "nodots" is not a dotted id`},
		{"no severity", strings.Replace(good, " @severity:info", "", 1), `has no @severity:<level> tag`},
		{"bad severity", strings.Replace(good, "@severity:info", "@severity:loud", 1), `unknown severity "loud"`},
		{"unknown step", strings.Replace(good, "When I send", "When I fetch", 1),
			`x.feature:4: step "I fetch a GET request to \"/v2/\"": not in the vocabulary` + "\n    hint: closest step: "},
		{"error without hint", strings.Replace(good, `When I send a GET request to "/v2/"`, "When plain error", 1), "x.feature:4: step \"plain error\": no hint here"},
		{"table", good + "    And I send a GET request to \"/v2/\"\n      | a |\n", `x.feature:6: step "I send a GET request to \"/v2/\"" has a data table`},
		{"no scenarios", "@capability:api @check:check.a.b @severity:info\nFeature: API\n", `feature "API" has no scenarios`},
	}
	for _, c := range cases {
		got := strings.Join(validate(t, map[string]string{"x.feature": c.text}), "\n")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want it to contain %q", c.name, got, c.want)
		}
	}
}

func TestValidateRefusesADuplicateCapability(t *testing.T) {
	got := validate(t, map[string]string{"a.feature": good, "b.feature": good})
	if len(got) != 1 || !strings.Contains(got[0], `b.feature:2: capability id "api" is already used by a.feature:2`) {
		t.Errorf("got %q", got)
	}
}

func TestMatchTags(t *testing.T) {
	tags := []string{"@capability:api", "@check:check.a.b", "@verify"}
	cases := map[string]bool{
		"":                              true,
		"  ":                            true,
		"@verify":                       true,
		"verify":                        true,
		"~@verify":                      false,
		"@check:check.a.b && ~@verify":  false,
		"@check:check.a.b && @verify":   true,
		"@other, @capability:api":       true,
		"@other, @capability:x":         false,
		"@capability:api && ":           false,
		"~@other && @capability:api":    true,
		"@check:check.a":                false,
		CheckExpr("check.a.b"):          true,
		CheckExpr("check.a.b") + ",@no": true,
	}
	for expr, want := range cases {
		if got := MatchTags(expr, tags); got != want {
			t.Errorf("MatchTags(%q) = %v, want %v", expr, got, want)
		}
	}
}

func TestWarnings(t *testing.T) {
	verifyOnly := strings.Replace(good, "  Scenario: probe", "  @verify\n  Scenario: probe", 1)
	withBackground := strings.Replace(good, "  Scenario: probe", "  Background:\n    Given I save \"x\" as \"status\"\n\n  Scenario: probe", 1) +
		"\n  Scenario: again\n    When I send a GET request to \"/v2/\"\n"
	lint := func(text string) error {
		if strings.Contains(text, `as "status"`) {
			return &hinted{msg: "saves {status}", hint: "choose another name"}
		}
		return nil
	}
	fsys := fstest.MapFS{
		"a.feature": {Data: []byte(verifyOnly)},
		"b.feature": {Data: []byte(strings.Replace(withBackground, "@capability:api", "@capability:b", 1))},
		"c.feature": {Data: []byte(strings.Replace(good, "@capability:api", "@capability:c", 1))},
	}
	s, problems := Load(fsys, "test")
	if len(problems) > 0 {
		t.Fatalf("load: %v", problems)
	}
	var got []string
	for _, p := range s.Warnings(lint) {
		got = append(got, p.String())
	}
	want := []string{
		`a.feature:2: capability "api" has only @verify scenarios: a run without --verify gives it no verdict on any registry` +
			"\n    hint: add a Scenario without @verify that asks the registry, or always run it with --verify",
		`b.feature:4: step "I save \"x\" as \"status\"": saves {status}` + "\n    hint: choose another name",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The built-in suite's verify-only capabilities are intended: only
	// the step warning is left.
	s.Builtin = true
	got = nil
	for _, p := range s.Warnings(lint) {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != want[1] {
		t.Errorf("built-in warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), want[1])
	}
	var only []string
	for _, f := range VerifyOnly(s.Select("")) {
		only = append(only, f.Capability)
	}
	if strings.Join(only, ",") != "api" || !s.Features[0].VerifyOnly() || s.Features[1].VerifyOnly() {
		t.Errorf("verify only: %v, a %v, b %v", only, s.Features[0].VerifyOnly(), s.Features[1].VerifyOnly())
	}
}

// A Scenario Outline is validated as godog runs it: each example row's
// values in place of <name>, after the Background.
func TestOutlineStepsAreValidatedPerRow(t *testing.T) {
	text := `@capability:api @check:check.a.b @severity:info
Feature: API
  Background:
    When I send a GET request to "/v2/"

  Scenario Outline: rows
    Then the capability is supported when the status is <status>

    Examples:
      | status |
      | 200    |
      | 2O0    |
`
	fsys := fstest.MapFS{"x.feature": {Data: []byte(text)}}
	s, problems := Load(fsys, "test")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	sc := s.Features[0].Scenarios[0]
	var got []string
	for _, st := range sc.Steps {
		got = append(got, fmt.Sprintf("%d %s", st.Line, st.Text))
	}
	want := []string{`4 I send a GET request to "/v2/"`, "7 the capability is supported when the status is 200", "7 the capability is supported when the status is 2O0"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	ps := s.Validate(knownSteps)
	if len(ps) != 1 || ps[0].Line != 7 || !strings.Contains(ps[0].Msg, "2O0") {
		t.Errorf("problems %v, want one for the row with 2O0", ps)
	}
}
