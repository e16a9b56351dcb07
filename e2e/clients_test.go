package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// Client readiness (issue 23): the real clients, built by
// scripts/build-clients.sh (make clients-build) and skopeo from Debian,
// run by `ocicaps run --clients --check all --verify` against every zoo
// registry and the namespaced token registry. The expected outcomes are
// what the clients did when run by hand and checked with curl
// (docs/clients-observed.md), not what ocicaps said.

// clientBuild builds the pinned clients once per test binary: cached in
// .cache/clients/bin, a client is rebuilt only when its pin changed.
var clientBuild struct {
	once sync.Once
	bin  string
	err  error
}

// ensureClients returns the folder of the built clients, building them
// first if needed (minutes on a clean machine: cosign and flux are big).
func ensureClients(t *testing.T) string {
	t.Helper()
	clientBuild.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		start := time.Now()
		cmd := exec.CommandContext(ctx, filepath.Join(root, "scripts", "build-clients.sh"))
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		fmt.Fprintf(os.Stderr, "%sclients ready in %s\n", out, time.Since(start).Round(time.Second))
		clientBuild.bin, clientBuild.err = filepath.Join(root, ".cache", "clients", "bin"), err
		if err != nil {
			clientBuild.err = fmt.Errorf("scripts/build-clients.sh: %w\n%s", err, out)
		}
	})
	if clientBuild.err != nil {
		t.Fatal(clientBuild.err)
	}
	return clientBuild.bin
}

// The namespaced token registry (T in docs/clients-observed.md), run as
// its owner.
const nameClientsToken = "owner" // checkNothingLeft reads this name

// observedOutcomes is docs/clients-observed.md's matrix: every workflow
// works on every registry except where the registry says otherwise.
func observedOutcomes() map[string]map[string]results.Outcome {
	fb, fails, unsafe := results.WorksWithFallback, results.Fails, results.Unsafe
	noReferrers := map[string]results.Outcome{
		"oras attach": fb, "oras discover": fb, "oras attach-referrers-api": unsafe,
		"cosign sign-oci-1-1": fb, "cosign verify-oci-1-1": fb,
		"regctl artifact-put": fb, "regctl artifact-list": fb,
	}
	noDeletes := map[string]results.Outcome{
		"regctl tag-delete": unsafe, "regctl manifest-delete": fails,
		"crane delete-tag": fails, "crane delete-digest": fails, "skopeo delete": fails,
	}
	// crane's registry answers 202 to a DELETE by digest and keeps
	// serving the tags of the manifest.
	tagsOutliveDigest := map[string]results.Outcome{
		"regctl manifest-delete": unsafe, "crane delete-digest": unsafe, "skopeo delete": unsafe,
	}
	// go-containerregistry (crane, flux) refuses a blob redirect to
	// 127.0.0.2 (SSRF protection), on flux pull's layer download.
	redirectRefused := map[string]results.Outcome{"flux pull-artifact": fails}
	// ... and a token service on 127.0.0.1 with another port (flux
	// pull-artifact there: see notSetUp).
	realmRefused := map[string]results.Outcome{
		"crane copy": fails, "crane tag": fails, "crane delete-tag": fails, "crane delete-digest": fails,
		"flux push-artifact": fails,
	}
	return map[string]map[string]results.Outcome{
		zoo.NameDistribution:         merge(noReferrers),
		zoo.NameDistributionNoDelete: merge(noReferrers, noDeletes),
		zoo.NameCrane:                merge(noReferrers, tagsOutliveDigest),
		zoo.NameOlareg:               merge(),
		zoo.NameOlaregNoReferrers:    merge(noReferrers, noDeletes),
		zoo.NameDistributionRedirect: merge(noReferrers, redirectRefused),
		nameClientsToken:             merge(noReferrers, realmRefused),
	}
}

// allWorkflows are the built-in workflow ids of issue 23 (contracts).
var allWorkflows = []string{
	"oras push", "oras attach", "oras discover", "oras attach-referrers-api",
	"cosign sign", "cosign verify", "cosign attest", "cosign verify-attestation", "cosign sign-oci-1-1", "cosign verify-oci-1-1",
	"helm push", "helm pull",
	"regctl image-copy", "regctl artifact-put", "regctl artifact-list", "regctl tag-delete", "regctl manifest-delete",
	"crane copy", "crane tag", "crane delete-tag", "crane delete-digest",
	"skopeo copy", "skopeo delete",
	"flux push-artifact", "flux pull-artifact",
}

func merge(overrides ...map[string]results.Outcome) map[string]results.Outcome {
	out := map[string]results.Outcome{}
	for _, w := range allWorkflows {
		out[w] = results.Works
	}
	for _, o := range overrides {
		for w, v := range o {
			out[w] = v
		}
	}
	return out
}

// knownMismatches are the (registry, workflow) pairs whose prediction
// cannot equal what the client does, because no capability sees the
// cause (docs/clients-observed.md, "Where the prediction cannot see it"),
// with the prediction the capabilities give.
func knownMismatches() map[string]results.Outcome {
	// The deletes by digest on crane's registry (unsafe: the tag still
	// serves the image) are predicted since their workflows say
	// @fails-without:delete: only a registry that refuses deletes makes
	// them fail.
	m := map[string]results.Outcome{}
	for _, w := range []string{"crane copy", "crane tag", "crane delete-tag", "crane delete-digest", "flux push-artifact"} {
		m[nameClientsToken+" "+w] = results.Works
	}
	m[zoo.NameDistributionRedirect+" flux pull-artifact"] = results.Works
	return m
}

// notSetUp are the (registry, workflow) pairs a run cannot decide: the
// client's own run that the workflow needs first (the push a pull reads)
// fails there, so the workflow could not be set up and keeps its
// prediction, unconfirmed. On the token registry flux push is refused
// (the realm on 127.0.0.1, docs/clients-observed.md ²), so flux pull has
// nothing to pull.
var notSetUp = map[string]bool{nameClientsToken + " flux pull-artifact": true}

// cosign's verify commands try to fetch the sigstore trusted root; the
// sink refuses it and cosign verifies against the key anyway.
var expectedEgress = map[string][]string{
	"cosign verify":             {"CONNECT tuf-repo-cdn.sigstore.dev:443"},
	"cosign verify-attestation": {"CONNECT tuf-repo-cdn.sigstore.dev:443"},
	"cosign verify-oci-1-1":     {"CONNECT tuf-repo-cdn.sigstore.dev:443"},
}

func TestClientReadiness(t *testing.T) {
	if testing.Short() {
		t.Skip("runs seven client programs against seven registries (minutes)")
	}
	bin := ensureClients(t)
	if _, err := exec.LookPath("skopeo"); err != nil {
		t.Fatal("skopeo is missing: run ./scripts/install-test-deps.sh (Debian package skopeo)")
	}
	red := startRedirected(t, zoo.Redirected())
	s := startShapes(t)
	cfg := clientsConfig(t, bin, red, s)
	// Minutes of client runs: a bound of its own, above runOcicaps' five
	// minutes, so that a slow machine does not lose every result.
	r := runOcicapsWithin(t, 30*time.Minute, filepath.Join(t.TempDir(), "reports"), []string{"SHAPE_OWNER_PW=" + s.ownerPW}, "--config", cfg, "--clients", "--check", "all", "--verify")
	if r.run == nil {
		t.Fatalf("no results (exit %d)\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	want, mismatches := observedOutcomes(), knownMismatches()
	for name, row := range want {
		reg := registry(t, r.run, name)
		got := map[string]results.ClientWorkflow{}
		for _, w := range reg.Clients {
			got[w.Client+" "+w.Workflow] = w
		}
		for _, id := range allWorkflows {
			w, ok := got[id]
			if !ok {
				t.Errorf("%s: workflow %s missing from results.json", name, id)
				continue
			}
			if notSetUp[name+" "+id] {
				checkNotSetUp(t, name, id, w)
				continue
			}
			checkWorkflow(t, name, id, w, row[id], mismatches)
		}
		if len(reg.Clients) != len(allWorkflows) {
			t.Errorf("%s: %d workflows, want %d", name, len(reg.Clients), len(allWorkflows))
		}
	}
	checkOnlySharedBlobsLeft(t, s.token, r)
	for _, name := range []string{zoo.NameDistribution, zoo.NameOlareg, zoo.NameCrane, zoo.NameDistributionRedirect} {
		for _, l := range registry(t, r.run, name).Leftovers {
			// crane's registry deletes manifests, tags and blobs but
			// cannot cancel an upload session (DELETE answers 400): the
			// capabilities' sessions, nothing a client pushed.
			if name == zoo.NameCrane && l.What == "upload session" {
				continue
			}
			t.Errorf("%s deletes, yet a leftover is reported: %+v", name, l)
		}
	}
	checkOlaregEmpty(t, registry(t, r.run, zoo.NameOlareg).Scratch)
	basic := base64.StdEncoding.EncodeToString([]byte("owner:" + s.ownerPW))
	assertNoSecrets(t, r, s.ownerPW, basic)
}

// checkNotSetUp: a workflow whose setup run failed is unknown to the run:
// the prediction stays, unconfirmed, and the reason says why.
func checkNotSetUp(t *testing.T, reg, id string, w results.ClientWorkflow) {
	t.Helper()
	if w.Confirmed || w.Mismatch || !strings.Contains(w.Reason, "could not decide") || !strings.Contains(w.Reason, "the program exited 1") {
		t.Errorf("%s: %s (%s): confirmed %v, mismatch %v, want unconfirmed (its setup run fails): %s", reg, id, w.Source, w.Confirmed, w.Mismatch, w.Reason)
	}
}

// checkOlaregEmpty: after the run, with direct requests and a look at its
// storage, nothing the clients pushed is left on olareg: no tag in the
// scratch repositories (helm's and flux's below it too; cosign's .sig and
// .att tags, the referrers tags sha256-<hex>), and no manifest in their
// OCI layout's index.json but olareg's own referrers lists (annotated
// with their subject), each of which the referrers API answers empty: the
// referrers pushed by digest are gone.
func checkOlaregEmpty(t *testing.T, scratch []string) {
	t.Helper()
	inst := instances[zoo.NameOlareg]
	if len(scratch) == 0 {
		t.Fatalf("%s: no scratch repository in results.json", zoo.NameOlareg)
	}
	for _, repo := range []string{scratch[0], scratch[0] + "/ocicaps-chart", scratch[0] + "/flux"} {
		if tags := tagsOf(t, inst.URL, repo); len(tags) > 0 {
			t.Errorf("%s: %s still has the tags %v", zoo.NameOlareg, repo, tags)
		}
		index, err := os.ReadFile(filepath.Join(inst.DataDir, repo, "index.json"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		var layout struct {
			Manifests []struct {
				Digest      string
				Annotations map[string]string
			}
		}
		if err := json.Unmarshal(index, &layout); err != nil {
			t.Fatalf("%s/index.json: %v", repo, err)
		}
		for _, m := range layout.Manifests {
			subject, ok := m.Annotations["org.olareg.referrer.subject"]
			if !ok {
				t.Errorf("%s: %s still holds the manifest %s", zoo.NameOlareg, repo, m.Digest)
			} else if refs := referrersOf(t, inst.URL, repo, subject); len(refs) > 0 {
				t.Errorf("%s: %s still lists referrers of %s: %v", zoo.NameOlareg, repo, subject, refs)
			}
		}
	}
}

// referrersOf lists the digests the referrers API gives for a subject.
func referrersOf(t *testing.T, base, repo, subject string) []string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+"/v2/"+repo+"/referrers/"+subject, nil)
	req.Header.Set("Accept", "application/vnd.oci.image.index.v1+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("referrers of %s: %v", subject, err)
	}
	defer resp.Body.Close()
	var list struct{ Manifests []struct{ Digest string } }
	if err := json.NewDecoder(resp.Body).Decode(&list); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("referrers of %s in %s: %d %v", subject, repo, resp.StatusCode, err)
	}
	var out []string
	for _, m := range list.Manifests {
		out = append(out, m.Digest)
	}
	return out
}

// tagsOf lists a repository's tags (none when the repository is unknown).
func tagsOf(t *testing.T, base, repo string) []string {
	t.Helper()
	resp, err := http.Get(base + "/v2/" + repo + "/tags/list")
	if err != nil {
		t.Fatalf("tags of %s: %v", repo, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil
	}
	var list struct{ Tags []string }
	if err := json.NewDecoder(resp.Body).Decode(&list); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("tags of %s: %d %v", repo, resp.StatusCode, err)
	}
	return list.Tags
}

// checkOnlySharedBlobsLeft: nothing reported left over on the token
// registry, no open upload session, and nothing left in its storage but
// the test image, except the scratch repository's links to the blobs of
// the test image (acme/alpine) that clients copied: the clean-up keeps
// those on purpose, since on a registry that stores a blob once for all
// repositories (crane's) deleting it would break the test image.
func checkOnlySharedBlobsLeft(t *testing.T, inst *zoo.Instance, r runResult) {
	t.Helper()
	if reg := registry(t, r.run, nameClientsToken); len(reg.Leftovers) > 0 {
		t.Errorf("%s: leftovers reported: %+v", nameClientsToken, reg.Leftovers)
	}
	if open, err := inst.OpenUploads(); err != nil || len(open) > 0 {
		t.Errorf("open upload sessions: %v (err %v)", open, err)
	}
	repos := filepath.Join(inst.DataDir, "docker", "registry", "v2", "repositories")
	shared := func(digestDir string) bool {
		_, err := os.Stat(filepath.Join(repos, "acme", "alpine", "_layers", "sha256", digestDir, "link"))
		return err == nil
	}
	err := filepath.WalkDir(repos, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "link" {
			return err
		}
		rel, _ := filepath.Rel(repos, p)
		parts := strings.Split(rel, string(filepath.Separator))
		switch {
		case strings.HasPrefix(rel, "acme/alpine/") || strings.HasPrefix(rel, "library/alpine/"):
		case len(parts) == 6 && parts[2] == "_layers" && shared(parts[4]):
		default:
			t.Errorf("left behind on the registry: %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(fmt.Errorf("walking %s: %w", repos, err))
	}
}

// checkWorkflow: the run confirmed the observed outcome, and the
// prediction equals it unless the pair is a known mismatch (then the
// mismatch is reported, with the capabilities' prediction).
func checkWorkflow(t *testing.T, reg, id string, w results.ClientWorkflow, want results.Outcome, known map[string]results.Outcome) {
	t.Helper()
	where := fmt.Sprintf("%s: %s (%s)", reg, id, w.Source)
	if !w.Confirmed {
		t.Errorf("%s: not confirmed by a run: %s", where, w.Reason)
		return
	}
	if w.Outcome != want {
		t.Errorf("%s: confirmed %s, but the client was seen to give %s (docs/clients-observed.md): %s", where, w.Outcome, want, w.Reason)
	}
	if pred, ok := known[reg+" "+id]; ok {
		if w.Predicted != pred || !w.Mismatch {
			t.Errorf("%s: predicted %s (mismatch %v), want the known mismatch: predicted %s from the capabilities, %s by the client", where, w.Predicted, w.Mismatch, pred, want)
		}
	} else if w.Predicted != w.Outcome || w.Mismatch {
		t.Errorf("%s: predicted %s, confirmed %s: fix the workflow's @needs/@fallback/@otherwise at %s", where, w.Predicted, w.Outcome, w.Source)
	}
	egress := slices.Clone(w.Egress)
	sort.Strings(egress)
	if wantEgress := expectedEgress[id]; !slices.Equal(egress, wantEgress) {
		t.Errorf("%s: the client asked the proxy for %q, want %q", where, egress, wantEgress)
	}
}

// clientsConfig is a registries.yaml with the five standard zoo
// registries, the redirecting one, the namespaced token registry (as its
// owner, in acme/) and where the built clients are.
func clientsConfig(t *testing.T, bin string, red *zoo.Instance, s *shapes) string {
	t.Helper()
	lines := []string{"clients:"}
	for _, c := range []string{"oras", "regctl", "cosign", "helm", "flux"} {
		lines = append(lines, fmt.Sprintf("  %s: %s", c, filepath.Join(bin, c)))
	}
	lines = append(lines, "  crane: "+filepath.Join(root, ".cache", "zoo", "bin", "crane"), "registries:")
	for _, n := range order {
		lines = append(lines, "  - name: "+n, "    url: "+instances[n].URL)
	}
	lines = append(lines, "  - name: "+zoo.NameDistributionRedirect, "    url: "+red.URL,
		"  - name: "+nameClientsToken, "    url: "+s.token.URL, "    testRepository: acme/alpine",
		"    tls: {caFile: "+s.ca.File+"}", "    credentials: {username: owner, passwordEnv: SHAPE_OWNER_PW}")
	p := filepath.Join(t.TempDir(), "registries.yaml")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestClientReadinessWithTLSVerifyOff: the token registry of
// TestClientReadiness (TLS with a test CA, token service), configured
// with certificate verification off (tls.insecureSkipVerify) and no CA
// file: no client can verify its certificate, so each works only with
// its own "skip verification" flag ({tlsVerify} = "false": oras and crane
// --insecure, cosign --allow-insecure-registry, helm
// --insecure-skip-tls-verify, flux --insecure-registry, regctl --tls
// insecure, skopeo --tls-verify=false). The outcomes are those the
// clients gave with the CA (docs/clients-observed.md, column T):
// verification changes nothing the registry does.
func TestClientReadinessWithTLSVerifyOff(t *testing.T) {
	if testing.Short() {
		t.Skip("runs seven client programs (minutes)")
	}
	bin := ensureClients(t)
	if _, err := exec.LookPath("skopeo"); err != nil {
		t.Fatal("skopeo is missing: run ./scripts/install-test-deps.sh (Debian package skopeo)")
	}
	s := startShapes(t)
	lines := []string{"clients:"}
	for _, c := range []string{"oras", "regctl", "cosign", "helm", "flux"} {
		lines = append(lines, fmt.Sprintf("  %s: %s", c, filepath.Join(bin, c)))
	}
	lines = append(lines, "  crane: "+filepath.Join(root, ".cache", "zoo", "bin", "crane"), "registries:",
		"  - name: "+nameClientsToken, "    url: "+s.token.URL, "    testRepository: acme/alpine",
		"    tls: {insecureSkipVerify: true}", "    credentials: {username: owner, passwordEnv: SHAPE_OWNER_PW}")
	cfg := filepath.Join(t.TempDir(), "registries.yaml")
	if err := os.WriteFile(cfg, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runOcicapsWithin(t, 30*time.Minute, filepath.Join(t.TempDir(), "reports"), []string{"SHAPE_OWNER_PW=" + s.ownerPW}, "--config", cfg, "--clients", "--check", "all", "--verify")
	if r.run == nil {
		t.Fatalf("no results (exit %d)\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	row, mismatches := observedOutcomes()[nameClientsToken], knownMismatches()
	reg := registry(t, r.run, nameClientsToken)
	got := map[string]results.ClientWorkflow{}
	for _, w := range reg.Clients {
		got[w.Client+" "+w.Workflow] = w
	}
	for _, id := range allWorkflows {
		w, ok := got[id]
		switch {
		case !ok:
			t.Errorf("workflow %s missing from results.json", id)
		case notSetUp[nameClientsToken+" "+id]:
			checkNotSetUp(t, nameClientsToken, id, w)
		default:
			checkWorkflow(t, nameClientsToken, id, w, row[id], mismatches)
		}
	}
	checkOnlySharedBlobsLeft(t, s.token, r)
	assertNoSecrets(t, r, s.ownerPW, base64.StdEncoding.EncodeToString([]byte("owner:"+s.ownerPW)))
}
