package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/internal/twist"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// Blob storage on another host (issue 21): Distribution v3.1.2 with its
// redirect storage middleware answers blob GET and HEAD with 307 to a
// storage server on 127.0.0.2 (internal/zoo/redirect.go, whose test shows
// it request by request). A registry client follows the redirect and gets
// the bytes there, so the registry can do what plain Distribution does.

func startRedirected(t *testing.T, spec zoo.Spec) *zoo.Instance {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin, err := zoo.EnsureBinaries(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := zoo.Start(ctx, bin, t.TempDir(), spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inst.Stop() })
	return inst
}

// TestRedirectedScoresLikePlain: --check all --verify gives the redirected
// Distribution exactly the verdicts of zoo-distribution, the same
// Distribution without the middleware, and the blobs did come from the
// storage server.
func TestRedirectedScoresLikePlain(t *testing.T) {
	red := startRedirected(t, zoo.Redirected())
	plain := instances[zoo.NameDistribution]
	cfg := writeRawConfig(t, fmt.Sprintf("registries:\n  - name: plain\n    url: %s\n  - name: redirected\n    url: %s\n", plain.URL, red.URL))
	r := runOcicaps(t, "--config", cfg, "--check", "all", "--verify")
	if r.run == nil {
		t.Fatalf("no results (exit %d)\n%s", r.code, r.stderr)
	}
	p, d := registry(t, r.run, "plain"), registry(t, r.run, "redirected")
	for _, c := range p.Capabilities {
		got, ok := d.Capability(c.ID)
		if !ok || got.Status != c.Status {
			t.Errorf("%s: redirected %s (%s), plain %s (%s)", c.ID, got.Status, got.Reason, c.Status, c.Reason)
		}
	}
	if p.Score != d.Score || p.MaxScore != d.MaxScore || p.Severity != d.Severity {
		t.Errorf("redirected %d/%d %s, plain %d/%d %s", d.Score, d.MaxScore, d.Severity, p.Score, p.MaxScore, p.Severity)
	}
	if red.Storage.Requests() == 0 {
		t.Fatal("the storage server got no request: the test proves nothing")
	}
	hops := 0
	for _, c := range d.Capabilities {
		for _, ex := range c.Exchanges {
			if len(ex.Hops) > 1 && strings.HasPrefix(ex.Hops[1].URL, red.Storage.URL) {
				hops++
			}
		}
	}
	if hops == 0 {
		t.Error("no exchange records a hop to the storage server")
	}
	pull, _ := d.Capability("pull")
	if pull.Status != results.Supported {
		t.Errorf("pull %s: %s", pull.Status, pull.Reason)
	}
}

// TestRedirectedNoCredentialsToStorage: on a redirected Distribution that
// wants Basic credentials, the storage server on the other host gets
// requests, and none carries credentials.
func TestRedirectedNoCredentialsToStorage(t *testing.T) {
	pw := secret("redirect-")
	spec := zoo.Redirected()
	spec.Name += "-basic"
	spec.Htpasswd = map[string]string{"alice": pw}
	spec.Authorize = func(r *http.Request) { r.SetBasicAuth("alice", pw) }
	red := startRedirected(t, spec)
	cfg := writeRawConfig(t, fmt.Sprintf("registries:\n  - name: redirected\n    url: %s\n    credentials:\n      username: alice\n      passwordEnv: OCICAPS_E2E_REDIRECT\n", red.URL))
	r := runOcicapsEnv(t, []string{"OCICAPS_E2E_REDIRECT=" + pw}, "--config", cfg, "--check", "all", "--verify")
	caps := capabilities(t, r)
	if red.Storage.Requests() == 0 {
		t.Fatal("the storage server got no request: the test proves nothing")
	}
	if got := red.Storage.Credentials(); len(got) != 0 {
		t.Errorf("credentials reached the storage server: %q", got)
	}
	for _, c := range caps {
		if c.ID == "pull" && c.Status != results.Supported {
			t.Errorf("pull %s: %s", c.Status, c.Reason)
		}
	}
}

// TestBadBlobRedirectsUnsupported: a real Distribution behind a proxy that
// answers blob reads with a redirect no client may follow (internal/twist
// redirects_bad.go; without the proxy pull is supported, see
// TestRedirectedScoresLikePlain): pull is unsupported and names where the
// registry sent it, and the reports hold no hop that was sent there.
func TestBadBlobRedirectsUnsupported(t *testing.T) {
	for mode, want := range map[string]string{
		"blob-redirect-file":     `redirected to file:///etc/passwd, where a registry client cannot follow: "file:" is not an http or https URL`,
		"blob-redirect-metadata": "redirected to http://169.254.169.254/latest/meta-data/, where a registry client cannot follow: a link-local or cloud metadata address",
		"blob-redirect-loop":     "a redirect loop",
	} {
		t.Run(mode, func(t *testing.T) {
			p, err := twist.Start(instances[zoo.NameDistribution].URL, mode)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(p.Close)
			reg := runFeaturesAt(t, mode, p.URL, nil, "related/pull.feature")
			c, ok := reg.Capability("pull")
			if !ok || c.Status != results.Unsupported || !strings.Contains(c.Reason, want) {
				t.Fatalf("pull %s: %q, want unsupported saying %q", c.Status, c.Reason, want)
			}
			for _, ex := range c.Exchanges {
				for _, h := range ex.Hops {
					if h.Status != 0 && (strings.HasPrefix(h.URL, "file:") || strings.Contains(h.URL, "169.254.")) {
						t.Errorf("a hop was sent: %+v", h)
					}
				}
			}
		})
	}
}

// TestRedirectedTokenAuthNoCredentialsToStorage: the shape of Docker Hub,
// GHCR or ECR: HTTPS, bearer tokens from a token service, blobs from
// storage on another host over HTTPS. The token never reaches storage,
// and the registry scores what the token-secured Distribution without the
// redirect scores with the same credentials.
func TestRedirectedTokenAuthNoCredentialsToStorage(t *testing.T) {
	work := t.TempDir()
	cert, key, _, err := secured.ca.Issue(work, "redirect-token")
	if err != nil {
		t.Fatal(err)
	}
	seedToken, err := secured.tokens.Mint(user, "repository:library/alpine:pull,push")
	if err != nil {
		t.Fatal(err)
	}
	spec := zoo.Redirected()
	spec.Name += "-token"
	spec.TLS = &zoo.TLSSpec{CertFile: cert, KeyFile: key, RootCAs: secured.ca.Pool}
	spec.Token = &secured.tokens.Spec
	spec.Authorize = func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+seedToken) }
	red := startRedirected(t, spec)
	if !strings.HasPrefix(red.Storage.URL, "https://") {
		t.Fatalf("storage at %s, want https", red.Storage.URL)
	}
	plain := secured.inst[nameToken]
	lines := func(name, u string) string {
		return fmt.Sprintf("  - name: %s\n    url: %s\n    tls:\n      caFile: %s\n    credentials:\n      username: %s\n      passwordEnv: OCICAPS_E2E_PASSWORD\n", name, u, secured.ca.File, user)
	}
	cfg := writeRawConfig(t, "registries:\n"+lines("plain", plain.URL)+lines("redirected", red.URL))
	r := runOcicapsEnv(t, []string{"OCICAPS_E2E_PASSWORD=" + secured.password}, "--config", cfg, "--check", "all", "--verify")
	if r.run == nil {
		t.Fatalf("no results (exit %d)\n%s", r.code, r.stderr)
	}
	if red.Storage.Requests() == 0 {
		t.Fatal("the storage server got no request: the test proves nothing")
	}
	if got := red.Storage.Credentials(); len(got) != 0 {
		t.Errorf("credentials reached the storage server: %q", got)
	}
	p, d := registry(t, r.run, "plain"), registry(t, r.run, "redirected")
	for _, c := range p.Capabilities {
		if got, _ := d.Capability(c.ID); got.Status != c.Status {
			t.Errorf("%s: redirected %s (%s), plain %s (%s)", c.ID, got.Status, got.Reason, c.Status, c.Reason)
		}
	}
	assertNoSecrets(t, r, secured.password)
}
