package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// orasBin is the real oras (clients/pins.txt), built by the same harness
// as TestClientReadiness's clients: a missing oras is built, not skipped.
func orasBin(t *testing.T) string {
	t.Helper()
	return filepath.Join(ensureClients(t), "oras")
}

// orasFeatures copies into a folder of its own the two capabilities the
// engine's small oras file names, from the built-in suite, and that file
// (the built-in suite's clients/ has an oras file of its own).
func orasFeatures(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"features/capabilities/02-referrers.feature", "features/spec/discovery/referrers-tag-fallback.feature", "e2e/testdata/clients-engine/oras.feature"} {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The real oras, run by `ocicaps run --clients --verify` against olareg
// with and without the referrers API. What oras does there was seen by
// hand first (oras push, then curl): `oras attach` exits 0 on both; with
// the API, GET /v2/<repo>/referrers/<subject> lists the signature (200);
// without it, that GET answers 404 and GET /v2/<repo>/manifests/sha256-<hex>
// answers 200 (the referrers tag schema). `oras push` exits 0 and the tag
// then answers 200 on both.
func TestClientReadinessWithRealOras(t *testing.T) {
	oras, dir := orasBin(t), orasFeatures(t)
	cfg := writeConfig(t, []string{zoo.NameOlareg, zoo.NameOlaregNoReferrers}, nil)
	data, _ := os.ReadFile(cfg)
	if err := os.WriteFile(cfg, []byte("clients:\n  oras: "+oras+"\n"+string(data)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runOcicaps(t, "--config", cfg, "--features", dir, "--check", "all", "--clients", "--verify", "--format", "quiet,json")
	if r.run == nil {
		t.Fatalf("exit %d, no results: %s", r.code, r.stderr)
	}
	want := map[string]map[string]results.Outcome{
		zoo.NameOlareg:            {"attach": results.Works, "push": results.Works},
		zoo.NameOlaregNoReferrers: {"attach": results.WorksWithFallback, "push": results.Works},
	}
	for name, workflows := range want {
		reg := registry(t, r.run, name)
		if len(reg.Clients) != len(workflows) {
			t.Errorf("%s: %d client workflows, want %d", name, len(reg.Clients), len(workflows))
		}
		for _, c := range reg.Clients {
			o, ok := workflows[c.Workflow]
			switch {
			case !ok || c.Client != "oras":
				t.Errorf("%s: unexpected workflow %s %s", name, c.Client, c.Workflow)
			case !c.Confirmed || c.Outcome != o || c.Predicted != o || c.Mismatch:
				t.Errorf("%s: oras %s: outcome %s (confirmed %v), predicted %s, want %s confirmed and predicted: %s", name, c.Workflow, c.Outcome, c.Confirmed, c.Predicted, o, c.Reason)
			case !strings.HasPrefix(c.Version, "Version:") || !strings.Contains(c.Version, "1.3."):
				t.Errorf("%s: oras version %q", name, c.Version)
			case len(c.Egress) != 0:
				t.Errorf("%s: oras %s tried to reach %v", name, c.Workflow, c.Egress)
			}
			if c.Workflow == "attach" && o == results.WorksWithFallback && c.Settings != "--distribution-spec v1.1-referrers-tag" {
				t.Errorf("%s: attach settings %q", name, c.Settings)
			}
		}
	}
	// olareg with deletes leaves nothing of what oras pushed; the scratch
	// repository's tags are gone (a direct request says so).
	if reg := registry(t, r.run, zoo.NameOlareg); len(reg.Leftovers) != 0 {
		t.Errorf("%s leftovers: %+v", zoo.NameOlareg, reg.Leftovers)
	} else if scratch := reg.Scratch[0]; httpStatus(t, "GET", instances[zoo.NameOlareg].URL+"/v2/"+scratch+"/manifests/oras-push") != 404 {
		t.Errorf("the oras-push tag is still in %s", scratch)
	}
	if r.code != 0 && !strings.Contains(r.stderr, "at or above --fail-on") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

// The real oras against Distribution over TLS (a CA of the test's own,
// handed to it as SSL_CERT_FILE) behind a token service, with a password
// that reaches oras only through the Docker config: oras push works, oras
// attach falls back on the referrers tag schema (Distribution has no
// referrers API), and the password is nowhere in what ocicaps wrote.
func TestClientReadinessWithRealOrasBehindATokenService(t *testing.T) {
	oras, dir := orasBin(t), orasFeatures(t)
	cfg := securedConfig(t, nameToken, secured.inst[nameToken].URL, append(caLines(), passwordLines()...)...)
	data, _ := os.ReadFile(cfg)
	if err := os.WriteFile(cfg, []byte("clients:\n  oras: "+oras+"\n"+string(data)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runOcicapsEnv(t, []string{"OCICAPS_E2E_PASSWORD=" + secured.password}, "--config", cfg, "--features", dir, "--check", "all", "--clients", "--verify", "--format", "quiet,json")
	if r.run == nil {
		t.Fatalf("exit %d, no results: %s", r.code, r.stderr)
	}
	want := map[string]results.Outcome{"push": results.Works, "attach": results.WorksWithFallback}
	reg := registry(t, r.run, nameToken)
	for _, c := range reg.Clients {
		if o := want[c.Workflow]; !c.Confirmed || c.Outcome != o || c.Predicted != o {
			t.Errorf("oras %s: outcome %s (confirmed %v), predicted %s, want %s: %s", c.Workflow, c.Outcome, c.Confirmed, c.Predicted, o, c.Reason)
		}
	}
	if len(reg.Clients) != len(want) {
		t.Errorf("%d workflows, want %d", len(reg.Clients), len(want))
	}
	written, err := os.ReadFile(filepath.Join(r.out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{string(written), r.stdout, r.stderr} {
		if strings.Contains(text, secured.password) {
			t.Fatal("the password leaked into what ocicaps wrote")
		}
	}
	if len(reg.Leftovers) != 0 {
		t.Errorf("leftovers: %+v", reg.Leftovers)
	}
}
