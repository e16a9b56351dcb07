package suite

import (
	"strings"
	"testing"
	"testing/fstest"
)

func feature(capability, check, tag string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("@capability:" + capability + " @check:" + check + " @severity:warn\n" +
		"Feature: " + capability + "\n\n  " + tag + "\n  Scenario: s\n    When I send a GET request to \"/v2/\"\n")}
}

func chooseSuite(t *testing.T, withDefault bool) *Suite {
	t.Helper()
	other := "check.integration.oci.other"
	first := DefaultCheck
	if !withDefault {
		first = "check.integration.oci.first"
	}
	s, problems := Load(fstest.MapFS{
		"a.feature": feature("alpha", first, "@fast"),
		"b.feature": feature("beta", other, "@fast"),
		"c.feature": feature("gamma", other, "@slow"),
	}, "test")
	if len(problems) > 0 {
		t.Fatalf("loading: %v", problems)
	}
	return s
}

func capabilities(sel Selection) string {
	var ids []string
	for _, sc := range sel.Scenarios {
		ids = append(ids, sc.Feature.Capability)
	}
	return strings.Join(ids, ",")
}

func TestChoose(t *testing.T) {
	cases := []struct {
		name        string
		withDefault bool
		tags, check string
		caps, expr  string
	}{
		{"the seed's check by default", true, "", "", "alpha", "@check:" + DefaultCheck},
		{"every check when the suite lacks the seed's", false, "", "", "alpha,beta,gamma", "all checks"},
		{"all", true, "", AllChecks, "alpha,beta,gamma", "all checks"},
		{"tags alone select across checks", true, "@fast", "", "alpha,beta", "@fast"},
		{"tags and a check", true, "@fast", "check.integration.oci.other", "beta", "@fast && @check:check.integration.oci.other"},
		{"a check alone", true, "", "check.integration.oci.other", "beta,gamma", "@check:check.integration.oci.other"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := chooseSuite(t, tc.withDefault).Choose(tc.tags, tc.check)
			if err != nil {
				t.Fatal(err)
			}
			if got := capabilities(sel); got != tc.caps || sel.Expr != tc.expr {
				t.Errorf("got %s (%q), want %s (%q)", got, sel.Expr, tc.caps, tc.expr)
			}
		})
	}
}

func TestChooseNothingListsTheChecks(t *testing.T) {
	_, err := chooseSuite(t, true).Choose("@slow", DefaultCheck)
	want := `no scenario matches "@slow && @check:` + DefaultCheck + `"; the suite's checks are: ` + DefaultCheck + ", check.integration.oci.other"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}
