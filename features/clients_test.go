package features_test

import (
	"slices"
	"testing"

	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/suite"
)

// The built-in client workflows of issue 23 (item 3) are contracts, like
// capability ids: results.json, reports and users' expectations name them
// by client and workflow id. This pins them from the embedded suite alone,
// without any client built; adding one means adding it here, removing or
// renaming one breaks users.
func TestBuiltinClientWorkflowIDs(t *testing.T) {
	want := []string{
		"oras push", "oras attach", "oras discover", "oras attach-referrers-api",
		"cosign sign", "cosign verify", "cosign attest", "cosign verify-attestation", "cosign sign-oci-1-1", "cosign verify-oci-1-1",
		"helm push", "helm pull",
		"regctl image-copy", "regctl artifact-put", "regctl artifact-list", "regctl tag-delete", "regctl manifest-delete",
		"crane copy", "crane tag", "crane delete-tag", "crane delete-digest",
		"skopeo copy", "skopeo delete",
		"flux push-artifact", "flux pull-artifact",
	}
	s, problems := suite.Load(features.FS, "embedded")
	for _, p := range problems {
		t.Errorf("%s", p)
	}
	var got []string
	for _, sc := range s.ClientScenarios() {
		if sc.Workflow == nil {
			t.Errorf("%s: a scenario of a client file without a workflow", sc.Source())
			continue
		}
		got = append(got, sc.Feature.Client+" "+sc.Workflow.ID)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("built-in client workflows:\n got %q\nwant %q", got, want)
	}
	if len(want) != 25 {
		t.Errorf("issue 23 names 25 workflows, the list here has %d", len(want))
	}
}
