package runner

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

// The outcome rules (docs/writing-scenarios.md): the same status means
// "unsupported" on a capability endpoint and "error" on a repository we
// chose to write to, or when it refuses us. Real registries here never
// answer a bare 404 or NAME_INVALID on an upload, hence the fake.

// onMountTarget answers POST uploads to the mount target (ocicaps/mount-probe
// in runFake) with status and body; the test repository still opens sessions.
func onMountTarget(status int, body string) func(http.ResponseWriter, *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasPrefix(r.URL.Path, "/v2/ocicaps/mount-probe/") {
			return false
		}
		if body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
		return true
	}
}

func TestOutcomeRulesTargetRepositoryVersusCapability(t *testing.T) {
	for _, c := range []struct {
		name, body string
		status     int
		want       results.Status
		reasonHas  string
	}{
		{"bare 404 on the mount target", "", 404, results.Error, "set mountRepository"},
		{"NAME_UNKNOWN on the mount target", `{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}`, 404, results.Error, "set mountRepository"},
		{"NAME_INVALID on the mount target", `{"errors":[{"code":"NAME_INVALID","message":"invalid repository name"}]}`, 400, results.Error, "set mountRepository"},
		{"401 on the mount target", `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, 401, results.Error, "401"},
		{"403 DENIED on the mount target", `{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}`, 403, results.Error, "403"},
		{"405 UNSUPPORTED: the registry cannot", `{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}`, 405, results.Unsupported, "405"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runFake(t, &fake{upload: onMountTarget(c.status, c.body)})
			got := capability(t, r, "cross-repo-mount")
			if got.Status != c.want || !strings.Contains(got.Reason, c.reasonHas) {
				t.Errorf("cross-repo-mount = %s (%s), want %s with %q", got.Status, got.Reason, c.want, c.reasonHas)
			}
			// The control: the same kind of request in the test repository
			// is answered, so chunked-upload stays supported.
			if ch := capability(t, r, "chunked-upload"); ch.Status != results.Supported {
				t.Errorf("chunked-upload = %s (%s), want supported", ch.Status, ch.Reason)
			}
		})
	}
}

// A 404 on a capability endpoint (referrers) is an answer about the
// capability: unsupported, not an error.
func TestOutcomeRules404OnCapabilityEndpoint(t *testing.T) {
	r := runFake(t, &fake{})
	if c := capability(t, r, "referrers"); c.Status != results.Unsupported {
		t.Errorf("referrers = %s (%s), want unsupported", c.Status, c.Reason)
	}
}
