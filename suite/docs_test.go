package suite

import (
	"strings"
	"testing"
	"testing/fstest"
)

// ValidateDocs hands each doc string, with its media type, to the checker
// and reports a refusal at the step's file and line with the hint.
func TestValidateDocsReportsFileAndLine(t *testing.T) {
	text := `@capability:api @check:check.a.b @severity:info
Feature: API
  Scenario: push
    Given I push the manifest to "{scratch}:x" and save its digest as "x":
      """application/vnd.oci.image.manifest.v1+json
      {"schemaVersion": 1}
      """
    And the request body is:
      """
      fine
      """
`
	s, problems := Load(fstest.MapFS{"m.feature": &fstest.MapFile{Data: []byte(text)}}, "test")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var seen []string
	got := s.ValidateDocs(func(step, docType, doc string) error {
		seen = append(seen, docType+"|"+strings.TrimSpace(doc))
		if strings.Contains(doc, "schemaVersion") {
			return &hinted{msg: "schemaVersion must be 2", hint: "fix the document"}
		}
		return nil
	})
	if len(seen) != 2 || seen[0] != `application/vnd.oci.image.manifest.v1+json|{"schemaVersion": 1}` || seen[1] != "|fine" {
		t.Errorf("the checker saw %q", seen)
	}
	if len(got) != 1 || !strings.HasPrefix(got[0].String(), "m.feature:4:") || !strings.Contains(got[0].String(), "schemaVersion must be 2") || got[0].Hint != "fix the document" {
		t.Errorf("problems %v", got)
	}
}
