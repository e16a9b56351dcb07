package suite

import (
	"reflect"
	"testing"

	"github.com/ocicaps/ocicaps/features"
)

func TestParseDescription(t *testing.T) {
	desc := "What it is, on\ntwo lines.\n\nCommon causes when missing:\n- First cause.\n* Second cause,\n  continued.\n\nHOW TO FIX:\n- Check it:\n  curl -sv https://r/v2/ | grep x\n- Upgrade.\nA loose line after a bullet continues it.\n\nA paragraph without a bullet."
	about, causes, fixes := ParseDescription(desc)
	if about != "What it is, on two lines." {
		t.Errorf("about = %q", about)
	}
	if want := []string{"First cause.", "Second cause,\ncontinued."}; !reflect.DeepEqual(causes, want) {
		t.Errorf("causes = %q, want %q", causes, want)
	}
	want := []string{"Check it:\ncurl -sv https://r/v2/ | grep x", "Upgrade.\nA loose line after a bullet continues it.", "A paragraph without a bullet."}
	if !reflect.DeepEqual(fixes, want) {
		t.Errorf("fixes = %q, want %q", fixes, want)
	}
	about, causes, fixes = ParseDescription("Only prose,\nwrapped.\n\nSecond paragraph.")
	if about != "Only prose, wrapped.\n\nSecond paragraph." || causes != nil || fixes != nil {
		t.Errorf("prose only: %q %q %q", about, causes, fixes)
	}
}

// Every capability of the built-in suite brings its remediation: the HTML
// report and summary.md show it for each unsupported capability, and it
// must come from the feature file.
func TestEmbeddedFeaturesCarryRemediation(t *testing.T) {
	s, problems := Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatalf("embedded suite: %v", problems)
	}
	if len(s.Features) == 0 {
		t.Fatal("no features")
	}
	for _, f := range s.Features {
		if f.About == "" || len(f.CommonCauses) == 0 || len(f.HowToFix) == 0 {
			t.Errorf("%s: about %q, %d common causes, %d fixes; every feature needs all three", f.File, f.About, len(f.CommonCauses), len(f.HowToFix))
		}
	}
	ref := s.Features[1] // capabilities/02-referrers.feature
	if ref.Capability != "referrers" || ref.HowToFix[1] != "Upgrade the registry: Harbor 2.6+, Quay 3.12+, ACR, ECR, GCR/Artifact Registry support referrers." {
		t.Errorf("%s: how to fix = %q", ref.File, ref.HowToFix)
	}
}
