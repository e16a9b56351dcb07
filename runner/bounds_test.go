package runner

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

// The 1.4 KB feature that reached 2.9 GB: 30 steps that each double a
// saved value. It validates (every step is in the vocabulary); run against
// a zoo registry, its capability ends as an error naming the step that
// went over the bound, and the other capability of the run is judged as
// usual.
func TestDoublingFeatureEndsAsAnErrorNamingTheStep(t *testing.T) {
	insts := startZoo(t, zoo.Spec{Name: "crane", Kind: zoo.KindCrane})
	var b strings.Builder
	b.WriteString("@capability:doubling @check:check.test.bounds @severity:info\nFeature: Doubling\n  Scenario: doubling\n")
	b.WriteString("    When I send a GET request to \"/v2/\"\n    And I save \"0123456789\" as \"x0\"\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "    And I save \"{x%d}{x%d}\" as \"x%d\"\n", i-1, i-1, i)
	}
	b.WriteString("    Then the capability is supported when the status is 200\n")
	fsys := fstest.MapFS{
		"doubling.feature": {Data: []byte(b.String())},
		"v2.feature":       {Data: []byte("@capability:v2 @check:check.test.bounds @severity:info\nFeature: V2\n  Scenario: v2\n    When I send a GET request to \"/v2/\"\n    Then the capability is supported when the status is 200\n")},
	}
	s, problems := suite.Load(fsys, "test")
	problems = append(problems, s.Validate(steps.Check)...)
	if len(problems) > 0 {
		t.Fatalf("the feature must validate: %v", problems)
	}
	out, err := Run(context.Background(), Options{Registries: []config.Registry{fakeRegistry("crane", insts[0].URL)}, Suite: s, Scenarios: s.Select("")})
	if err != nil {
		t.Fatal(err)
	}
	c := capability(t, out.Registries[0], "doubling")
	if c.Status != results.Error || !strings.Contains(c.Reason, `step I save "{x`) || !strings.Contains(c.Reason, "more than the") {
		t.Errorf("doubling: %s %q, want an error naming the step", c.Status, c.Reason)
	}
	t.Logf("doubling: %s", c.Reason)
	if v := capability(t, out.Registries[0], "v2"); v.Status != results.Supported {
		t.Errorf("v2: %s %q", v.Status, v.Reason)
	}
}
