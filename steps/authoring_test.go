package steps

import (
	"strings"
	"testing"
)

// A regular expression Go cannot compile is refused by validation, in a
// saving step and in a condition, instead of blaming the registry at run
// time (issue 24 item 10).
func TestCheckRefusesBadRegex(t *testing.T) {
	bad := []string{
		`I save the response header "Link" matching "((((a{100}){100}){100}){100})" as "next"`,
		`the capability is supported when the response header "Location" matches "(("`,
		`the capability is supported when the status is 200 and every response header "Warning" matches "a{2,1}"`,
	}
	for _, text := range bad {
		err := Check(text, false)
		if err == nil || !strings.Contains(err.Error(), "does not compile") {
			t.Errorf("%s: %v, want a regular expression that does not compile", text, err)
		}
	}
	good := []string{
		`I save the response header "Link" matching "<([^>]+)>" as "next"`,
		`the capability is supported when the response header "Location" matches "^/v2/{repository}/"`,
	}
	for _, text := range good {
		if err := Check(text, false); err != nil {
			t.Errorf("%s: %v", text, err)
		}
	}
}

// An unknown condition says which part and which words match none, and
// the closest condition, instead of every condition on one line.
func TestUnknownConditionSaysWhichWords(t *testing.T) {
	err := Check(`the capability is supported when the status is 200 and the response header "X" equls "y"`, false)
	if err == nil {
		t.Fatal("accepted")
	}
	want := `unknown condition "the response header \"X\" equls \"y\"" (in "the status is 200 and the response header \"X\" equls \"y\""): the words from "equls \"y\"" on match no condition; closest: the response header`
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got  %s\nwant %s…", err, want)
	}
	if strings.Contains(err.Error(), "conditions are:") || len(err.Error()) > 400 {
		t.Errorf("lists every condition: %s", err)
	}
}
