package steps

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/suite"
)

// oldPattern is a pattern as it was before quoted arguments took \":
// a quoted argument could hold no quote at all.
func oldPattern(p string) *regexp.Regexp {
	p = strings.ReplaceAll(p, qArg, `"([^"]*)"`)
	return regexp.MustCompile(strings.ReplaceAll(p, qName, `"([^"]+)"`))
}

// Every step of the embedded features, every example, and texts with a
// backslash before a closing quote match exactly the steps and arguments
// they matched before \" was allowed: files written before keep their
// meaning.
func TestQuotedArgumentsMatchAsBefore(t *testing.T) {
	texts := []string{
		`the request body is "a\"`,
		`the request header "X\" is "y\"`,
		`the capability is unsupported when the response header "X" is "a\" because "b\"`,
		`I save "C:\dir\" as "path"`,
	}
	for _, d := range defs {
		texts = append(texts, d.Example)
	}
	s, _ := suite.Load(features.FS, "embedded")
	for _, f := range s.Features {
		for _, sc := range f.Scenarios {
			for _, st := range sc.Steps {
				texts = append(texts, st.Text)
			}
		}
	}
	for _, text := range texts {
		for _, d := range defs {
			old, now := oldPattern(d.Pattern).FindStringSubmatch(text), d.re.FindStringSubmatch(text)
			if strings.Join(old, "\x00") != strings.Join(now, "\x00") {
				t.Errorf("%q against %s: was %q, now %q", text, d.Pattern, old, now)
			}
		}
	}
	if len(texts) < 100 {
		t.Errorf("only %d step texts compared", len(texts))
	}
}

func TestQuoteInsideAQuotedArgument(t *testing.T) {
	for _, text := range []string{
		`the request body is "say \"hi\""`,
		`the capability is supported when the response header "Content-Type" is "text/plain; x=\"y\"" and the status is 200`,
		`the capability is unsupported when the status is 404 because "no \"referrers\" API"`,
	} {
		if err := Check(text, false); err != nil {
			t.Errorf("%s: %v", text, err)
		}
	}
	conds, err := parseConditions(`the JSON field "a" is "\"q\"" and the response header "X" is "b\"`)
	if err != nil || len(conds) != 2 {
		t.Fatalf("got %v %v", conds, err)
	}
	if conds[0].args[1] != `"q"` || conds[1].args[1] != `b\` {
		t.Errorf("arguments %q and %q, want \"q\" (unescaped) and b\\ (as before)", conds[0].args[1], conds[1].args[1])
	}
	if got := arg(quotedGroups(`^I save `+qArg+` as `+qName+`$`), 0, `a \"b\"`); got != `a "b"` {
		t.Errorf("handler argument %q", got)
	}
	if got := arg(quotedGroups(`^the capability is supported when (.+)$`), 0, `x "a\"b"`); got != `x "a\"b"` {
		t.Errorf("condition text must stay escaped for the condition parser: %q", got)
	}
}

func TestLintWarnsWhenASavedVariableShadowsABuiltin(t *testing.T) {
	warn := []string{
		`I save "x" as "bodyDigest"`,
		`I save the response header "Location" as "status"`,
		`I save the response header "Link" matching "<([^>]+)>" as "repository"`,
		`I push an image to "{scratch}:a" and save its digest as "tag"`,
		`I save the JSON field "a" as "scratch"`,
	}
	for _, text := range warn {
		err := Lint(text)
		var ce *CheckError
		if !errors.As(err, &ce) || !strings.Contains(ce.Error(), "the name of a built-in variable") || !strings.Contains(ce.Hint(), "choose another name") {
			t.Errorf("%s: %v", text, err)
		}
	}
	for _, text := range []string{
		`I save "bodyDigest" as "x"`,
		`I record "x" as "tag"`,                // a fact, not a variable
		`I save 10 random bytes as "tag"`,      // bytes, with {tag.digest}
		`I save the response body as "status"`, // bytes
		`I send a GET request to "/v2/"`,
		`I save the response header "Location" as "location"`,
	} {
		if err := Lint(text); err != nil {
			t.Errorf("%s: %v", text, err)
		}
	}
}
