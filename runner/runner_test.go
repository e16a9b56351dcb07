package runner

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/features"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

// These tests cover answers the zoo's real registries never give; the
// verdicts on real registries are asserted by the e2e tests.

const (
	testDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	layer      = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	manifest   = `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","size":2},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"` + layer + `","size":3}]}`
)

// fake is a scriptable registry: each field overrides one answer.
type fake struct {
	// base, when set, answers GET /v2/ instead of the default 200.
	base           func(w http.ResponseWriter)
	versionHeaders map[string]string
	referrers      func(w http.ResponseWriter)
	// upload, when set, answers POST …/blobs/uploads/ for the repositories
	// it returns true for.
	upload   func(w http.ResponseWriter, r *http.Request) bool
	mu       sync.Mutex
	requests []string
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	f.mu.Unlock()
	p := r.URL.Path
	switch {
	case p == "/v2/" && f.base != nil:
		f.base(w)
	case p == "/v2/":
		for k, v := range f.versionHeaders {
			w.Header().Set(k, v)
		}
		w.WriteHeader(200)
	case strings.HasSuffix(p, "/manifests/latest") && r.Method == http.MethodHead:
		w.Header().Set("Docker-Content-Digest", testDigest)
		w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
		w.WriteHeader(200)
	case strings.HasSuffix(p, "/manifests/latest") && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
		w.Write([]byte(manifest))
	case strings.HasSuffix(p, "/manifests/latest") && r.Method == http.MethodOptions:
		w.Header().Set("Allow", "GET, HEAD, PUT, DELETE")
		w.WriteHeader(200)
	case strings.Contains(p, "/referrers/"):
		if f.referrers != nil {
			f.referrers(w)
			return
		}
		w.WriteHeader(404)
	case strings.HasSuffix(p, "/blobs/uploads/") && r.Method == http.MethodPost && f.upload != nil && f.upload(w, r):
	case strings.HasSuffix(p, "/blobs/uploads/") && r.Method == http.MethodPost:
		w.Header().Set("Location", p+"session-1")
		w.WriteHeader(202)
	case strings.Contains(p, "/blobs/uploads/session-") && r.Method == http.MethodDelete:
		w.WriteHeader(204)
	default:
		w.WriteHeader(404)
	}
}

func runFake(t *testing.T, f *fake) results.Registry {
	t.Helper()
	return runFakeSelected(t, f, "@check:"+suite.DefaultCheck)
}

func runFakeSelected(t *testing.T, f *fake, tags string) results.Registry {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	s, problems := suite.Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatalf("embedded suite: %v", problems)
	}
	if p := s.Validate(steps.Check); len(p) > 0 {
		t.Fatalf("embedded suite does not validate: %v", p)
	}
	reg := config.Registry{Name: "fake", URL: srv.URL, TestRepository: "library/alpine", TestTag: "latest", MountRepository: "ocicaps/mount-probe",
		Retry:    config.Retry{Max: 2, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, MaxRetryAfter: time.Second},
		Timeouts: config.Timeouts{Request: 5 * time.Second, Registry: 20 * time.Second}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run, err := Run(ctx, Options{
		Registries: []config.Registry{reg}, Suite: s, Scenarios: s.Select(tags),
	})
	if err != nil {
		t.Fatal(err)
	}
	return run.Registries[0]
}

func capability(t *testing.T, r results.Registry, id string) results.Capability {
	t.Helper()
	for _, c := range r.Capabilities {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no capability %s in %+v", id, r)
	return results.Capability{}
}

func fact(c results.Capability, name string) string {
	for _, f := range c.Facts {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

func TestOCIVersionHeaderPreferredOverDocker(t *testing.T) {
	r := runFake(t, &fake{versionHeaders: map[string]string{
		"Docker-Distribution-API-Version": "registry/2.0",
		"OCI-Distribution-API-Version":    "1.1",
	}})
	c := capability(t, r, "distribution-version")
	if c.Status != results.Supported {
		t.Fatalf("status %s (%s), want supported", c.Status, c.Reason)
	}
	if got := fact(c, "distribution version"); got != "1.1" {
		t.Errorf("distribution version fact = %q, want the OCI header's 1.1", got)
	}
	if got := fact(c, "distribution version header"); got != "OCI-Distribution-API-Version" {
		t.Errorf("header fact = %q", got)
	}
	if r.DistributionVersion != "1.1" {
		t.Errorf("registry distribution version = %q, want 1.1", r.DistributionVersion)
	}
}

func TestDockerVersionHeaderUsedWhenAlone(t *testing.T) {
	r := runFake(t, &fake{versionHeaders: map[string]string{"Docker-Distribution-API-Version": "registry/2.0"}})
	c := capability(t, r, "distribution-version")
	if c.Status != results.Supported || fact(c, "distribution version") != "registry/2.0" {
		t.Fatalf("got %s %q facts %v", c.Status, c.Reason, c.Facts)
	}
}

func TestNoVersionHeaderIsUnsupported(t *testing.T) {
	r := runFake(t, &fake{})
	c := capability(t, r, "distribution-version")
	if c.Status != results.Unsupported {
		t.Fatalf("got %s, want unsupported", c.Status)
	}
	if !strings.Contains(c.Reason, "no OCI-Distribution-API-Version header") {
		t.Errorf("reason does not say what is missing: %q", c.Reason)
	}
}

func TestReferrers404WithOCIIndexIsSupported(t *testing.T) {
	r := runFake(t, &fake{referrers: func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
		w.WriteHeader(404)
		w.Write([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`))
	}})
	if c := capability(t, r, "referrers"); c.Status != results.Supported {
		t.Fatalf("got %s (%s), want supported", c.Status, c.Reason)
	}
}

func TestReferrers404WithErrorBodyIsUnsupported(t *testing.T) {
	r := runFake(t, &fake{referrers: func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		w.Write([]byte(`{"errors":[{"code":"NAME_UNKNOWN","message":"repository name not known to registry"}]}`))
	}})
	c := capability(t, r, "referrers")
	if c.Status != results.Unsupported {
		t.Fatalf("got %s, want unsupported", c.Status)
	}
	if !strings.Contains(c.Reason, "NAME_UNKNOWN") {
		t.Errorf("reason should name the registry's error code: %q", c.Reason)
	}
	if r.Severity != results.Warn {
		t.Errorf("severity %s, want warn (referrers missing)", r.Severity)
	}
}

func TestReferrers200IsSupported(t *testing.T) {
	r := runFake(t, &fake{referrers: func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
		w.Write([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`))
	}})
	if c := capability(t, r, "referrers"); c.Status != results.Supported {
		t.Fatalf("got %s (%s)", c.Status, c.Reason)
	}
}

func TestReferrers503IsErrorNotUnsupported(t *testing.T) {
	r := runFake(t, &fake{referrers: func(w http.ResponseWriter) { w.WriteHeader(503) }})
	c := capability(t, r, "referrers")
	if c.Status != results.Error {
		t.Fatalf("got %s (%s), want error: a 503 says nothing about the capability", c.Status, c.Reason)
	}
	if len(c.Exchanges) == 0 || c.Exchanges[len(c.Exchanges)-1].Attempts != 3 {
		t.Errorf("the 503 should have been retried (3 attempts): %+v", c.Exchanges)
	}
	if r.Severity != results.Fail {
		t.Errorf("severity %s, want fail", r.Severity)
	}
}

func TestChunkedUploadSessionIsCancelled(t *testing.T) {
	f := &fake{versionHeaders: map[string]string{"OCI-Distribution-API-Version": "1.1"}}
	r := runFake(t, f)
	if c := capability(t, r, "chunked-upload"); c.Status != results.Supported {
		t.Fatalf("got %s (%s)", c.Status, c.Reason)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	cancels := 0
	for _, req := range f.requests {
		if strings.HasPrefix(req, "DELETE ") && strings.Contains(req, "/blobs/uploads/session-") {
			cancels++
		}
	}
	// One session from chunked-upload, one from the mount probe's 202.
	if cancels != 2 {
		t.Errorf("%d upload sessions cancelled, want 2; requests: %v", cancels, f.requests)
	}
	if len(r.Leftovers) != 0 {
		t.Errorf("leftovers: %+v", r.Leftovers)
	}
}

// A referrers answer that claims to be an OCI index and does not parse is
// no support (issue 20, item 5: "200 with an OCI image index, or 404 with
// one"); the reason names the parse failure.
func TestMalformedJSONIsUnsupported(t *testing.T) {
	r := runFake(t, &fake{referrers: func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
		w.WriteHeader(404)
		w.Write([]byte("{\"schemaVersion\":2,\"manifests\":[\xff\xfe garbage"))
	}})
	c := capability(t, r, "referrers")
	if c.Status != results.Unsupported || !strings.Contains(c.Reason, "malformed JSON") || !strings.Contains(c.Reason, "invalid character") {
		t.Fatalf("got %s %q, want unsupported naming the parse failure", c.Status, c.Reason)
	}
}

func TestHugeBodyIsAnError(t *testing.T) {
	r := runFake(t, &fake{referrers: func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
		chunk := make([]byte, 64<<10)
		// Endless chunked data: the client must stop at its limit.
		for i := 0; i < 1<<12; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}})
	c := capability(t, r, "referrers")
	if c.Status != results.Error || !strings.Contains(c.Reason, "exceeds the read limit") {
		t.Fatalf("got %s %q, want an error about the read limit", c.Status, c.Reason)
	}
}

// One attempt is the evidence that the hour was not waited for (a wait
// would be followed by a second attempt); no clock is read, so a loaded
// machine cannot fail it.
func TestRetryAfterBeyondCapIsNotWaitedFor(t *testing.T) {
	r := runFake(t, &fake{referrers: func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(429)
	}})
	c := capability(t, r, "referrers")
	if c.Status != results.Error || !strings.Contains(c.Reason, "429") {
		t.Fatalf("got %s %q, want an error naming the 429", c.Status, c.Reason)
	}
	if n := len(c.Exchanges); c.Exchanges[n-1].Attempts != 1 {
		t.Errorf("a Retry-After of an hour, above the cap, must not be retried: %d attempts", c.Exchanges[n-1].Attempts)
	}
}

// Outcome steps are alternatives: a status one of them names must reach
// it, even when an earlier one met it first.
func TestNonAnswerNamedByALaterOutcomeStep(t *testing.T) {
	r := runFakeSelected(t, &fake{base: func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(403)
		w.Write([]byte(`{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}`))
	}}, "@capability:credentials")
	c := capability(t, r, "credentials")
	if c.Status != results.Unsupported || !strings.Contains(c.Reason, "DENIED") {
		t.Fatalf("403 on the credentials check: %s %q, want unsupported from its 403 step", c.Status, c.Reason)
	}
	r = runFakeSelected(t, &fake{base: func(w http.ResponseWriter) { w.WriteHeader(500) }}, "@capability:credentials")
	if c := capability(t, r, "credentials"); c.Status != results.Error || !strings.Contains(c.Reason, "500") {
		t.Fatalf("500 on the credentials check: %s %q, want an error", c.Status, c.Reason)
	}
	r = runFakeSelected(t, &fake{base: func(w http.ResponseWriter) {
		w.Header().Set("WWW-Authenticate", `Basic realm="registry"`)
		w.WriteHeader(401)
	}}, "@capability:connectivity")
	if c := capability(t, r, "connectivity"); c.Status != results.Supported {
		t.Fatalf("401 with a challenge on connectivity: %s %q, want supported", c.Status, c.Reason)
	}
}

// The run describes each selected capability once, in suite order, with the
// remediation its feature file carries.
func TestInfos(t *testing.T) {
	s, problems := suite.Load(features.FS, "embedded")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	infos := Infos(s.Select("@check:" + suite.DefaultCheck))
	var ids []string
	for _, i := range infos {
		ids = append(ids, i.ID)
	}
	if strings.Join(ids, " ") != "distribution-version referrers chunked-upload cross-repo-mount delete" {
		t.Fatalf("ids = %v", ids)
	}
	ref := infos[1]
	if ref.Name != "Referrers API" || ref.SeverityWhenMissing != results.Warn || ref.Source != "capabilities/02-referrers.feature" ||
		!strings.HasPrefix(ref.Description, "GET /v2/<repository>/referrers/<digest>") ||
		len(ref.CommonCauses) != 2 || !strings.Contains(ref.HowToFix[0], "curl -H") {
		t.Errorf("referrers info = %+v", ref)
	}
}

// Without a `concurrency:` a registry gets its share of the run's scenario
// budget (a lone one config.MaxConcurrency); a registry's own concurrency
// caps its share; one scenario each at least.
func TestConcurrencyShare(t *testing.T) {
	for _, c := range []struct{ own, running, want int }{
		{0, 1, config.MaxConcurrency}, {0, 2, ScenarioBudget / 2}, {0, 5, ScenarioBudget / 5}, {0, 100, 1}, {0, 1000, 1},
		{3, 1, 3}, {64, 5, ScenarioBudget / 5}, {8, 100, 1}, {8, 1000, 1}, {1, 1, 1},
	} {
		if got := concurrency(config.Registry{Concurrency: c.own}, c.running); got != c.want {
			t.Errorf("concurrency %d with %d registries running: %d, want %d", c.own, c.running, got, c.want)
		}
	}
}
