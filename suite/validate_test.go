package suite

import (
	"errors"
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
