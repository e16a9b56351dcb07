package suite

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// fbFeature returns a valid feature of capability id with extra tags on its
// tag line.
func fbFeature(id, tags string) string {
	return "@capability:" + id + " @check:check.a.b @severity:info " + tags + `
Feature: ` + id + `
  Scenario: probe
    When I send a GET request to "/v2/"
    Then the capability is supported when the status is 200
`
}

func load(t *testing.T, files map[string]string) *Suite {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	s, problems := Load(fsys, "test")
	if len(problems) > 0 {
		t.Fatalf("load: %v", problems)
	}
	return s
}

func TestFallbacksAreReadInOrder(t *testing.T) {
	s := load(t, map[string]string{
		"a.feature": fbFeature("chunked", "@fallback:single-post\n@fallback:monolithic"),
		"b.feature": fbFeature("single-post", ""),
		"c.feature": fbFeature("monolithic", ""),
	})
	f := s.Feature("chunked")
	if f == nil || !reflect.DeepEqual(f.Fallbacks, []string{"single-post", "monolithic"}) {
		t.Fatalf("fallbacks of chunked: %+v", f)
	}
	if got := f.FallbackList(); got != "fallback: single-post, monolithic" {
		t.Errorf("list: %q", got)
	}
	if s.Feature("single-post").Fallbacks != nil || s.Feature("single-post").FallbackList() != "" {
		t.Errorf("a feature without the tag has fallbacks")
	}
	if s.Feature("nothing") != nil {
		t.Errorf("Feature of an absent id")
	}
	if p := s.Validate(knownSteps); len(p) != 0 {
		t.Errorf("problems: %v", p)
	}
	if w := s.Warnings(func(string) error { return nil }); len(w) != 0 {
		t.Errorf("warnings: %v", w)
	}
}

func TestFallbackProblemsSayWhere(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"not an id", fbFeature("api", "@fallback:Single_Post"),
			`x.feature:1: fallback "Single_Post" is not a capability id` + "\n    hint: write the id"},
		{"empty", fbFeature("api", "@fallback:"), `x.feature:1: @fallback: names no capability`},
		{"itself", fbFeature("api", "@fallback:other\n@fallback:api"),
			`x.feature:2: capability "api" names itself as its fallback`},
		{"twice", fbFeature("api", "@fallback:other @fallback:other"), `fallback "other" is given twice`},
		{"on a scenario", strings.Replace(fbFeature("api", ""), "  Scenario:", "  @fallback:other\n  Scenario:", 1),
			`x.feature:3: @fallback:other is on a scenario` + "\n    hint: move the tag above Feature:"},
	}
	for _, c := range cases {
		s := load(t, map[string]string{"x.feature": c.text, "o.feature": fbFeature("other", "")})
		var got []string
		for _, p := range s.Validate(knownSteps) {
			got = append(got, p.String())
		}
		if !strings.Contains(strings.Join(got, "\n"), c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// A fallback to a capability the loaded suite lacks is a warning: the
// suite stays valid (a folder may point at the built-in suite's
// capabilities), and the warning names the file and line.
func TestFallbackToAnAbsentCapabilityWarns(t *testing.T) {
	s := load(t, map[string]string{"x.feature": fbFeature("api", "\n@fallback:elsewhere")})
	if p := s.Validate(knownSteps); len(p) != 0 {
		t.Fatalf("an absent fallback is an error: %v", p)
	}
	w := s.Warnings(func(string) error { return nil })
	if len(w) != 1 || !strings.Contains(w[0].String(), `x.feature:2: fallback "elsewhere" of capability "api" is no capability of this suite`) {
		t.Errorf("warnings: %v", w)
	}
}

func TestVerifyOnly(t *testing.T) {
	s := load(t, map[string]string{
		"p.feature": fbFeature("probe", ""),
		"v.feature": strings.Replace(fbFeature("verify", ""), "  Scenario:", "  @verify\n  Scenario:", 1),
	})
	if s.Feature("probe").VerifyOnly() || !s.Feature("verify").VerifyOnly() {
		t.Errorf("VerifyOnly: probe %v verify %v", s.Feature("probe").VerifyOnly(), s.Feature("verify").VerifyOnly())
	}
}
