package twist

import (
	"strings"
	"testing"
)

// Every quirk mode says what it does and which registry does so, since
// the tests that use it claim to reproduce that registry.
func TestQuirkModesNameTheirRegistry(t *testing.T) {
	quirks := map[string]string{
		"short-416-body": "2.8.2", "tag-delete-refused": "2.8.2", "null-empty-lists": "2.8.2",
		"oci-subject-without-referrers": "ECR", "patch-201": "ECR", "mount-needs-manifest": "ECR",
		"referrers-login-redirect": "Google Artifact Registry", "body-cap-4mib": "GHCR", "delete-unsupported": "GHCR",
		"digest-tag-as-digest": "GitLab", "digest-tag-refused": "Quay", "config-allow-list": "Quay",
	}
	for name, who := range quirks {
		m, ok := Lookup(name)
		if !ok {
			t.Errorf("no mode %s", name)
			continue
		}
		if !strings.Contains(m.Doc, who) || m.New == nil {
			t.Errorf("%s: Doc %q should name %s", name, m.Doc, who)
		}
	}
}
