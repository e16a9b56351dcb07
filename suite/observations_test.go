package suite

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// ValidateObservations hands each scenario's steps, Background first, to
// the checker in order, and names the step it points at by file and line.
func TestValidateObservationsNamesTheStep(t *testing.T) {
	text := `@capability:x @check:check.x @severity:info
Feature: x
  Background:
    Given I run a program

  Scenario: one
    Then the response header "X" is present
`
	s, problems := Load(fstest.MapFS{"x.feature": {Data: []byte(text)}}, "test")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var seen []string
	ps := s.ValidateObservations(func(texts []string) []IndexedError {
		seen = texts
		return []IndexedError{{Step: 1, Err: errors.New("judges an HTTP response")}}
	})
	if strings.Join(seen, "|") != `I run a program|the response header "X" is present` {
		t.Errorf("checker got %q", seen)
	}
	if len(ps) != 1 || ps[0].File != "x.feature" || ps[0].Line != 7 || !strings.Contains(ps[0].Msg, "judges an HTTP response") {
		t.Errorf("problems %v", ps)
	}
}
