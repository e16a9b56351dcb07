package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"errors"

	"github.com/ocicaps/ocicaps/internal/faultproxy"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
)

// verifiedExpected is what each zoo registry really does, found with
// direct requests (zoo/README.md, "What each zoo registry does"): only
// olareg with referrers lists referrers; crane answers a mount with 202 (an
// upload, not a mount); deletes are refused by Distribution with deletes
// disabled and by olareg without deletes, and work elsewhere.
var verifiedExpected = map[string]map[string]results.Status{
	zoo.NameDistribution:         verdicts("yes no yes yes yes"),
	zoo.NameDistributionNoDelete: verdicts("yes no yes yes no"),
	zoo.NameCrane:                verdicts("yes no yes no yes"),
	zoo.NameOlareg:               verdicts("yes yes yes yes yes"),
	zoo.NameOlaregNoReferrers:    verdicts("yes no yes yes no"),
}

// mismatchesExpected are the disagreements between asking and doing.
var mismatchesExpected = map[string][]string{
	// OPTIONS lists DELETE, but DELETE is refused.
	zoo.NameDistributionNoDelete: {"delete"},
	// The mount "succeeds" with 202 without mounting; OPTIONS is not
	// understood while DELETE works.
	zoo.NameCrane: {"cross-repo-mount", "delete"},
	// OPTIONS answers 405 while DELETE works.
	zoo.NameOlareg: {"delete"},
}

func TestVerifyMode(t *testing.T) {
	cfg := writeConfig(t, order, nil)
	r := runOcicaps(t, "--config", cfg, "--verify")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "verify mode: "+order[0]+": will write to library/ocicaps-verify-") {
		t.Errorf("the console does not say where verify mode writes before it starts:\n%s", r.stderr)
	}
	for _, name := range order {
		reg := registry(t, r.run, name)
		if reg.Mode != "verify" || len(reg.Scratch) != 2 {
			t.Errorf("%s: mode %q scratch %v", name, reg.Mode, reg.Scratch)
		}
		got := map[string]results.Status{}
		var mism []string
		score := 0
		for _, c := range reg.Capabilities {
			got[c.ID] = c.Verified
			if c.Status != c.Verified {
				t.Errorf("%s/%s: status %s is not the verified verdict %s", name, c.ID, c.Status, c.Verified)
			}
			if c.Probe != expected[name].caps[c.ID] {
				t.Errorf("%s/%s: probe %s, want %s as in probe mode", name, c.ID, c.Probe, expected[name].caps[c.ID])
			}
			if c.Verified == results.Supported {
				score++
			}
			if c.Mismatch {
				mism = append(mism, c.ID)
				if !strings.Contains(c.Explanation, "but doing it is") || strings.Count(c.Explanation, ". ") > 0 {
					t.Errorf("%s/%s: explanation is not one sentence from the evidence: %q", name, c.ID, c.Explanation)
				}
			}
		}
		if !reflect.DeepEqual(got, verifiedExpected[name]) {
			t.Errorf("%s: verified\n got %v\nwant %v", name, got, verifiedExpected[name])
		}
		if !reflect.DeepEqual(mism, mismatchesExpected[name]) {
			t.Errorf("%s: mismatches %v, want %v", name, mism, mismatchesExpected[name])
		}
		if reg.Score != score {
			t.Errorf("%s: score %d, want %d (verified verdicts)", name, reg.Score, score)
		}
		checkVerifyTrace(t, reg)
	}
	validateJUnit(t, filepath.Join(r.out, "junit.xml"))
	if !strings.Contains(r.stdout, "mismatch: Asked, the registry says supported (OPTIONS") {
		t.Errorf("the console does not show the mismatch:\n%s", r.stdout)
	}
}

// checkVerifyTrace looks at the registry for everything the run created in
// its scratch repositories: each must be gone, or be listed as a leftover
// and really be there.
func checkVerifyTrace(t *testing.T, reg results.Registry) {
	t.Helper()
	inst := instances[reg.Name]
	listed := map[string]bool{}
	for _, l := range reg.Leftovers {
		listed[l.URL] = true
		if l.What == "blob" || l.What == "manifest" {
			if l.Repository == "" || l.Digest == "" {
				t.Errorf("%s: leftover %s lacks repository or digest: %+v", reg.Name, l.URL, l)
			}
			if st := head(t, l.URL); st != 200 {
				t.Errorf("%s: leftover %s is listed but HEAD answers %d", reg.Name, l.URL, st)
			}
		}
	}
	created := 0
	for _, c := range reg.Capabilities {
		for _, ex := range c.Exchanges {
			if ex.Cleanup || ex.Method != http.MethodPut || ex.Status != 201 {
				continue
			}
			u, err := url.Parse(ex.URL)
			if err != nil || !strings.Contains(u.Path, "/library/ocicaps-verify-") {
				continue
			}
			var objects []string
			repo, kind, ref := splitObject(u.Path)
			switch kind {
			case "uploads":
				objects = append(objects, inst.URL+"/v2/"+repo+"/blobs/"+u.Query().Get("digest"))
				// The blob the registry says it stored may be another
				// (Distribution stores a sha512 upload under its sha256).
				if d := ex.ResponseHeaders["Docker-Content-Digest"]; len(d) > 0 && d[0] != u.Query().Get("digest") {
					objects = append(objects, inst.URL+"/v2/"+repo+"/blobs/"+d[0])
				}
			case "manifests":
				if d := ex.ResponseHeaders["Docker-Content-Digest"]; len(d) > 0 {
					objects = append(objects, inst.URL+"/v2/"+repo+"/manifests/"+d[0])
					// olareg keeps a deleted manifest's bytes as a blob.
					objects = append(objects, inst.URL+"/v2/"+repo+"/blobs/"+d[0])
				}
				// The tag must be gone too, not just the digest.
				objects = append(objects, inst.URL+"/v2/"+repo+"/manifests/"+ref)
			}
			for _, o := range objects {
				created++
				st := head(t, o)
				if st == 200 && !listedRepoObject(reg, o) {
					t.Errorf("%s: %s was created by verify mode, is still there, and is not listed as a leftover", reg.Name, o)
				}
			}
		}
	}
	if created == 0 {
		t.Errorf("%s: verify mode created nothing; the scenarios did not run", reg.Name)
	}
	open, err := inst.OpenUploads()
	switch {
	case errors.Is(err, zoo.ErrNotObservable):
	case err != nil:
		t.Errorf("%s: %v", reg.Name, err)
	default:
		n := 0
		for _, l := range reg.Leftovers {
			if l.What == "upload session" {
				n++
			}
		}
		if len(open) != n {
			t.Errorf("%s: open upload sessions %v, leftovers list %d", reg.Name, open, n)
		}
	}
}

// listedRepoObject: a manifest left by tag counts as listed when its digest
// in the same repository is.
func listedRepoObject(reg results.Registry, object string) bool {
	for _, l := range reg.Leftovers {
		if l.URL == object || (l.Tag != "" && strings.HasSuffix(object, "/"+l.Repository+"/manifests/"+l.Tag)) {
			return true
		}
		if l.Digest != "" && strings.HasSuffix(object, "/"+l.Repository+"/blobs/"+l.Digest) {
			return true
		}
	}
	return false
}

func splitObject(path string) (repo, kind, ref string) {
	p := strings.TrimPrefix(path, "/v2/")
	for _, k := range []string{"/blobs/uploads/", "/manifests/", "/blobs/"} {
		if i := strings.LastIndex(p, k); i >= 0 {
			kind = strings.Trim(k, "/")
			if kind == "blobs/uploads" {
				kind = "uploads"
			}
			return p[:i], kind, p[i+len(k):]
		}
	}
	return p, "", ""
}

func head(t *testing.T, u string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodHead, u, nil)
	req.Header.Set("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("HEAD %s: %v", u, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestVerifyInterruptCleansUp interrupts a verify run while the registry
// holds what it pushed for the referrers check: the pushed image, artifact
// and blobs must be deleted all the same.
func TestVerifyInterruptCleansUp(t *testing.T) {
	inst := instances[zoo.NameDistribution]
	hang, err := faultproxy.New(inst.URL, 0, faultproxy.Always(faultproxy.Hang, func(r *http.Request) bool {
		return strings.Contains(r.URL.Path, "/library/ocicaps-verify-") && strings.Contains(r.URL.Path, "/referrers/")
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer hang.Close()
	cfg := writeRawConfig(t, fmt.Sprintf("registries:\n  - name: hangs\n    url: %s\n    mode: verify\n", hang.URL))
	out := filepath.Join(t.TempDir(), "reports")
	cmd, se := startUntilHang(t, hang, "--config", cfg, "--out", out, "--tags", "@capability:referrers")
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Errorf("exit %v after SIGINT, want 130\n%s", err, se.String())
	}
	run, err := jsonfile.Read(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	reg := run.Registries[0]
	if len(reg.Leftovers) != 0 {
		t.Errorf("leftovers after an interrupted verify run on a registry that deletes: %+v", reg.Leftovers)
	}
	pushed := 0
	for _, c := range reg.Capabilities {
		for _, ex := range c.Exchanges {
			if ex.Method == http.MethodPut && ex.Status == 201 && !ex.Cleanup {
				pushed++
				u, _ := url.Parse(ex.URL)
				repo, kind, ref := splitObject(u.Path)
				obj := inst.URL + "/v2/" + repo + "/manifests/" + ref
				if kind == "uploads" {
					obj = inst.URL + "/v2/" + repo + "/blobs/" + u.Query().Get("digest")
				}
				if st := head(t, obj); st != 404 {
					t.Errorf("%s is still there after the interrupted run (HEAD %d)", obj, st)
				}
			}
		}
	}
	if pushed < 4 {
		t.Errorf("only %d objects pushed before the interrupt; the test did not test clean-up", pushed)
	}
	if open, err := inst.OpenUploads(); err != nil || len(open) != 0 {
		t.Errorf("open uploads after the interrupt: %v %v", open, err)
	}
}
