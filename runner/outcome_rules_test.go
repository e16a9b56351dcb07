package runner

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/suite"
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

// Verify mode's preflight: a refused upload session in the scratch
// repository makes every verify scenario an error with one reason, said
// once as a warning, and nothing else is sent to the scratch repository.
func TestPreflightRefusedStopsVerify(t *testing.T) {
	f := &fake{upload: func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(r.URL.Path, "/ocicaps-verify-") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		w.Write([]byte(`{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`))
		return true
	}}
	r := runFakeVerify(t, f)
	for _, c := range r.Capabilities {
		if c.Verified != results.Error || c.Status != results.Error || c.Reason != preflightRefused {
			t.Errorf("%s: %s/%s (%s), want error: %s", c.ID, c.Status, c.Verified, c.Reason, preflightRefused)
		}
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "401 Unauthorized (UNAUTHORIZED") || !strings.Contains(r.Warnings[0], "scratchRepository") {
		t.Errorf("warnings %q, want one naming the 401 and scratchRepository", r.Warnings)
	}
	// In verify mode the mount probe (not a verify scenario) targets the
	// second scratch repository; that one POST is its own answer.
	var scratch []string
	for _, req := range f.requests {
		if strings.Contains(req, "/ocicaps-verify-") && req != "POST /v2/library/ocicaps-verify-r1-mount/blobs/uploads/" {
			scratch = append(scratch, req)
		}
	}
	if len(scratch) != 1 || scratch[0] != "POST /v2/library/ocicaps-verify-r1/blobs/uploads/" {
		t.Errorf("requests to the scratch repositories %q, want only the preflight POST", scratch)
	}
}

func TestPreflightAcceptedCancelsItsSessions(t *testing.T) {
	f := &fake{}
	r := runFakeVerify(t, f)
	if len(r.Warnings) != 0 {
		t.Errorf("warnings %q, want none", r.Warnings)
	}
	var posts, deletes int
	for _, req := range f.requests {
		switch {
		case strings.HasPrefix(req, "POST /v2/library/ocicaps-verify-r1"):
			posts++
		case strings.HasPrefix(req, "DELETE /v2/library/ocicaps-verify-r1") && strings.Contains(req, "/blobs/uploads/session-"):
			deletes++
		}
	}
	// The preflight's two sessions at least; the scenarios add their own.
	if posts < 2 || deletes < 2 {
		t.Errorf("%d POSTs and %d session DELETEs in the scratch repositories, want at least 2 of each:\n%s", posts, deletes, strings.Join(f.requests, "\n"))
	}
}

func runFakeVerify(t *testing.T, f *fake) results.Registry {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	s, problems := suite.Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatalf("embedded suite: %v", problems)
	}
	reg := config.Registry{Name: "fake", URL: srv.URL, TestRepository: "library/alpine", TestTag: "latest",
		MountRepository: "library/ocicaps-mount-probe", Mode: config.ModeVerify,
		Timeouts: config.Timeouts{Request: 5 * time.Second, Registry: 20 * time.Second}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run, err := Run(ctx, Options{Registries: []config.Registry{reg}, Suite: s, Scenarios: s.Select("@check:" + suite.DefaultCheck), RunID: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	return run.Registries[0]
}
