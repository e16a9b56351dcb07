package features_test

import (
	"testing"

	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

// Every feature file in the repository validates, and the seed's check has
// exactly its five capabilities.
func TestEmbeddedSuiteValidates(t *testing.T) {
	s, problems := suite.Load(features.FS, "embedded")
	problems = append(problems, s.Validate(steps.Check)...)
	problems = append(problems, s.Authoring(steps.BuiltinNames())...)
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	var seed []string
	for _, f := range s.Features {
		if f.Check == suite.DefaultCheck {
			seed = append(seed, f.Capability)
		}
	}
	want := []string{"distribution-version", "referrers", "chunked-upload", "cross-repo-mount", "delete"}
	if len(seed) != len(want) {
		t.Fatalf("seed check capabilities %v, want %v", seed, want)
	}
	for i := range want {
		if seed[i] != want[i] {
			t.Errorf("seed capability %d is %s, want %s", i, seed[i], want[i])
		}
	}
	for _, check := range []string{"check.integration.oci.registry", "check.integration.oci.referrers", "check.integration.oci.credentials", "check.integration.oci.pull", "check.integration.oci.push"} {
		found := false
		for _, c := range s.Checks() {
			found = found || c == check
		}
		if !found {
			t.Errorf("related check %s has no feature", check)
		}
	}
}
