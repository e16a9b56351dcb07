package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/twist"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// The liar zoo (issue 20): each lie of the table, one
// internal/twist mode in front of a real registry, and `ocicaps run
// --check all --verify` through it. No capability the lie breaks may be
// certified, and each must be refused for the reason the lie gives (the
// verdict's reason is checked, not only its status).
//
// The upstream is olareg: of the zoo registries it supports the most
// (36/40 with --check all --verify; the 40/40 in-memory registry
// was crane's, which scores 26/40 in this zoo), so a lie has the most to
// fake there.
const liarUpstream = zoo.NameOlareg

// liarRun runs every capability in verify mode through the named mode.
func liarRun(t *testing.T, mode string) (results.Registry, runResult) {
	t.Helper()
	p, err := twist.Start(instances[liarUpstream].URL, mode)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	name := "liar-" + mode
	cfg := writeRawConfig(t, "registries:\n  - name: "+name+"\n    url: "+p.URL+"\n")
	r := runOcicaps(t, "--config", cfg, "--verify", "--check", "all")
	if r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	return registry(t, r.run, name), r
}

var integrity = regexp.QuoteMeta(results.IntegrityWords)

// storing are the capabilities whose verify scenarios store something
// and read it back: a registry that stores nothing breaks them all.
var storing = []string{
	"chunked-upload", "cross-repo-mount", "delete", "single-post-upload",
	"delete-blob", "delete-manifest", "delete-tag", "blob-range",
	"manifest-fidelity", "artifact-manifest", "large-manifest",
	"manifest-push", "monolithic-upload", "mount-missing-blob",
	"mount-without-from", "oci-index", "oci-subject-header",
	"sha512-digests", "subject-absent", "upload-cancel",
	"referrers-tag-fallback",
}

// storesNothing is what each stores-nothing variant breaks, and why:
// what was read back is not what was written (empty, or a fixed body),
// except where the lie shows earlier.
func storesNothing(plausible bool) map[string]string {
	m := map[string]string{}
	for _, id := range storing {
		m[id] = integrity
	}
	// A session that never held the chunk is caught before the DELETE.
	m["upload-cancel"] = `^before the DELETE, GET of the session holding 10 bytes answered 200 OK, not 204`
	if plausible {
		m["mount-missing-blob"] = `claims to have mounted what it does not have`
	} else {
		// Answered 202 to a single POST: no claim to have stored it.
		m["single-post-upload"] = `does not store a blob in one request`
	}
	return m
}

var liarCases = []struct {
	mode string
	// broken maps each capability the lie breaks to what its reason
	// must say (a regular expression).
	broken map[string]string
	// corrupt: the registry returned different bytes than were written,
	// so it must fail (exit 1), whatever the capabilities' severities.
	corrupt bool
}{
	{"range-from-zero", map[string]string{
		"blob-range": integrity + `: the 206 answer to bytes=10-19 is not bytes 10 to 19 of the pushed blob .*they are bytes 0 to 9`,
	}, true},
	{"mount-links-nothing", map[string]string{
		"cross-repo-mount":   `^the mount answered 201, but GET of the blob in the target repository answered 404 .*nothing was mounted`,
		"mount-without-from": `^the mount without from answered 201, but GET of the blob in .* answered 404 .*nothing was mounted`,
		"mount-missing-blob": `claims to have mounted what it does not have`,
	}, false},
	{"stores-nothing", storesNothing(false), true},
	{"stores-nothing-plausible", storesNothing(true), true},
	{"stores-nothing-remembers-deletes", storesNothing(true), true},
	{"subject-dropped", map[string]string{
		"oci-subject-header":     `^the push of a manifest with a subject answered 201, but GET of the manifest then answered 404 .*it was not stored`,
		"subject-absent":         `^the PUT answered 201, but GET of the manifest then answered 404 .*it was not stored`,
		"artifact-manifest":      `answered 201 Created to the push of a manifest, but GET of the manifest .* answered 404 .*did not store it`,
		"referrers-tag-fallback": `answered 201 Created to the push of a manifest, but GET of the manifest .* answered 404 .*did not store it`,
	}, false},
	{"flip-byte", map[string]string{
		"chunked-upload":    integrity + `: GET of the blob uploaded in two chunks`,
		"monolithic-upload": integrity + `: GET of the blob uploaded by POST then PUT`,
		"sha512-digests":    integrity + `: GET by the sha512 digest`,
		// The push helpers read every blob they push back first.
		"blob-range":       integrity + `: GET of the 100-byte blob .* just pushed`,
		"cross-repo-mount": integrity + `: GET of the [0-9]+-byte blob .* just pushed`, // a blob of the image whose layer it mounts
		"delete-blob":      integrity + `: GET of the 700-byte blob .* just pushed`,
		"manifest-push":    integrity,
	}, true},
}

func TestLiarsCertifyNothingTheyBreak(t *testing.T) {
	for _, c := range liarCases {
		t.Run(c.mode, func(t *testing.T) {
			reg, r := liarRun(t, c.mode)
			for id, why := range c.broken {
				cap, ok := reg.Capability(id)
				if !ok {
					t.Errorf("%s: not run", id)
					continue
				}
				if cap.Status == results.Supported {
					t.Errorf("%s: supported under the lie %s: %s", id, c.mode, cap.Reason)
					continue
				}
				if !regexp.MustCompile(why).MatchString(cap.Reason) {
					t.Errorf("%s: %s for another reason than the lie's:\n got  %s\n want %s", id, cap.Status, cap.Reason, why)
				}
			}
			if !c.corrupt {
				return
			}
			if reg.Severity != results.Fail || r.code != 1 {
				t.Errorf("severity %s, exit %d: returning other bytes than were written must fail the registry (exit 1)", reg.Severity, r.code)
			}
			if !strings.Contains(r.stdout, "CONTENT INTEGRITY: "+results.IntegrityWords) {
				t.Errorf("the console does not say the registry returned different bytes:\n%s", r.stdout)
			}
		})
	}
}

// Through the honest proxy the registry gets exactly the verdicts it gets
// without: the proxy itself changes nothing a test could blame on a lie.
func TestHonestProxyChangesNoVerdict(t *testing.T) {
	through, _ := liarRun(t, "honest")
	r := runOcicaps(t, "--config", writeConfig(t, []string{liarUpstream}, nil), "--verify", "--check", "all")
	if r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	direct := registry(t, r.run, liarUpstream)
	if through.Score != direct.Score || through.Severity != direct.Severity || len(through.Capabilities) != len(direct.Capabilities) {
		t.Fatalf("through the honest proxy %d/%d %s, directly %d/%d %s", through.Score, through.MaxScore, through.Severity, direct.Score, direct.MaxScore, direct.Severity)
	}
	for i, d := range direct.Capabilities {
		h := through.Capabilities[i]
		if h.ID != d.ID || h.Status != d.Status || h.Probe != d.Probe || sections(h) != sections(d) {
			t.Errorf("%s: through the proxy %s (probe %s, deviations %q), directly %s (probe %s, deviations %q)\n%s", d.ID, h.Status, h.Probe, sections(h), d.Status, d.Probe, sections(d), h.Reason)
		}
	}
}

func sections(c results.Capability) string {
	var out []string
	for _, d := range c.Deviations {
		out = append(out, d.Section+"/"+d.Kind)
	}
	return strings.Join(out, ", ")
}
