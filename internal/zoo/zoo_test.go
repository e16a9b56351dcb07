package zoo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Golden digests of the seed image. If these change, every expectation
// written against the zoo's seeded image changes too: only update them on
// purpose.
const (
	goldenConfigDigest   = "sha256:90395f4a92ab336ca2a28061ab5aa0bc2c9633b7566ee738b9f7771e7473e632"
	goldenLayerDigest    = "sha256:2076ec8ee7eb37a67348ba87618e7212543f3822c58bbe6f6a6d84b5e7876ca9"
	goldenManifestDigest = "sha256:ffc22bd6776392dfc27ee574dfedd56ced09b31fea34f594c69f0f68cee40656"
)

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// bins builds the zoo binaries once per test binary. A cold build takes a
// minute or more, which is why it is shared rather than done per test.
func bins(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		defer cancel()
		root, err := RepoRoot()
		if err != nil {
			binErr = err
			return
		}
		binDir, binErr = EnsureBinaries(ctx, root)
	})
	if binErr != nil {
		t.Fatalf("building zoo binaries: %v", binErr)
	}
	return binDir
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// startT starts one registry and stops it when the test ends, pass or fail.
func startT(t *testing.T, spec Spec) *Instance {
	t.Helper()
	inst, err := Start(testCtx(t), bins(t), t.TempDir(), spec)
	if err != nil {
		t.Fatalf("Start(%s): %v", spec.Name, err)
	}
	t.Cleanup(func() {
		if err := inst.Stop(); err != nil {
			t.Errorf("Stop(%s): %v", spec.Name, err)
		}
	})
	return inst
}

func request(t *testing.T, method, url string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(testCtx(t), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, url, err)
	}
	return resp, body
}

func TestSeedImageIsDeterministic(t *testing.T) {
	img, err := SeedImage()
	if err != nil {
		t.Fatal(err)
	}
	again, err := buildSeedImage()
	if err != nil {
		t.Fatal(err)
	}
	if again.ManifestDigest != img.ManifestDigest || again.LayerDigest != img.LayerDigest || again.ConfigDigest != img.ConfigDigest {
		t.Errorf("two builds differ: %+v vs %+v", again, img)
	}
	for _, c := range []struct{ name, got, want string }{
		{"config", img.ConfigDigest, goldenConfigDigest},
		{"layer", img.LayerDigest, goldenLayerDigest},
		{"manifest", img.ManifestDigest, goldenManifestDigest},
	} {
		if c.got != c.want {
			t.Errorf("%s digest = %s, want %s", c.name, c.got, c.want)
		}
	}
}

// TestStandard starts every standard configuration and checks that it serves
// the API root and the seeded image by tag.
func TestStandard(t *testing.T) {
	specs := Standard()
	var names []string
	for _, s := range specs {
		names = append(names, s.Name)
	}
	wantNames := []string{NameDistribution, NameDistributionNoDelete, NameCrane, NameOlareg, NameOlaregNoReferrers}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("Standard() names = %v, want %v", names, wantNames)
	}

	insts, err := StartAll(testCtx(t), bins(t), t.TempDir(), specs)
	if err != nil {
		t.Fatalf("StartAll: %v", err)
	}
	t.Cleanup(func() {
		if err := StopAll(insts); err != nil {
			t.Errorf("StopAll: %v", err)
		}
	})
	img, err := SeedImage()
	if err != nil {
		t.Fatal(err)
	}
	for _, inst := range insts {
		t.Run(inst.Spec.Name, func(t *testing.T) {
			if !strings.HasPrefix(inst.URL, "http://127.0.0.1:") {
				t.Errorf("URL = %q, want loopback", inst.URL)
			}
			resp, body := request(t, http.MethodGet, inst.URL+"/v2/", nil)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET /v2/ = %s: %s", resp.Status, body)
			}
			if inst.SeedDigest != img.ManifestDigest {
				t.Errorf("SeedDigest = %s, want %s", inst.SeedDigest, img.ManifestDigest)
			}
			resp, body = request(t, http.MethodGet, inst.URL+"/v2/library/alpine/manifests/latest",
				map[string]string{"Accept": MediaTypeOCIManifest})
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET manifest by tag = %s: %s\nlog:\n%s", resp.Status, body, inst.LogTail())
			}
			sum := sha256.Sum256(body)
			if got := "sha256:" + hex.EncodeToString(sum[:]); got != inst.SeedDigest {
				t.Errorf("manifest body digest = %s, want %s", got, inst.SeedDigest)
			}
			if ct := resp.Header.Get("Content-Type"); ct != MediaTypeOCIManifest {
				t.Errorf("manifest Content-Type = %q, want %q", ct, MediaTypeOCIManifest)
			}
			resp, body = request(t, http.MethodGet, inst.URL+"/v2/library/alpine/blobs/"+img.LayerDigest, nil)
			if resp.StatusCode != http.StatusOK || string(body) != string(img.Layer) {
				t.Errorf("GET layer blob = %s, %d bytes (want %d)", resp.Status, len(body), len(img.Layer))
			}
		})
	}
}

// TestSeedIsIdempotent pushes the seed again (as a second test package
// sharing a registry would) and gets the same digest.
func TestSeedIsIdempotent(t *testing.T) {
	inst := startT(t, Spec{Name: "seed-again", Kind: KindCrane})
	d, err := Seed(testCtx(t), inst.URL, SeedRepo, SeedTag)
	if err != nil {
		t.Fatal(err)
	}
	if d != inst.SeedDigest {
		t.Errorf("second Seed = %s, first %s", d, inst.SeedDigest)
	}
	d, err = Seed(testCtx(t), inst.URL, "other/repo", "v1")
	if err != nil {
		t.Fatal(err)
	}
	if d != inst.SeedDigest {
		t.Errorf("Seed into other repo = %s, want %s", d, inst.SeedDigest)
	}
}

// TestStopEndsProcess checks that Stop kills the registry for real: the
// process is reaped, the port stops answering, and Stop is idempotent.
func TestStopEndsProcess(t *testing.T) {
	for _, spec := range Standard() {
		if spec.Name != NameDistribution && spec.Name != NameCrane && spec.Name != NameOlareg {
			continue
		}
		t.Run(spec.Name, func(t *testing.T) {
			t.Parallel()
			inst := startT(t, spec)
			pid := inst.Pid()
			if pid == 0 || inst.Exited() {
				t.Fatalf("instance not running after Start (pid %d)", pid)
			}
			if err := inst.Stop(); err != nil {
				t.Fatalf("Stop: %v", err)
			}
			if !inst.Exited() {
				t.Error("process not reaped after Stop")
			}
			if err := inst.Stop(); err != nil {
				t.Errorf("second Stop: %v", err)
			}
			if alive(pid) {
				t.Errorf("pid %d still exists after Stop", pid)
			}
			conn, err := net.DialTimeout("tcp", inst.Host, time.Second)
			if err == nil {
				conn.Close()
				t.Errorf("%s still accepts connections after Stop", inst.Host)
			}
		})
	}
}

// alive reports whether a process with this pid exists (Linux: /proc).
func alive(pid int) bool {
	if _, err := os.Stat("/proc/self"); err != nil {
		return false // no procfs: cannot tell; Exited() already checked
	}
	_, err := os.Stat(filepath.Join("/proc", strconv.Itoa(pid)))
	return err == nil
}

// TestOpenUploads opens an upload session over HTTP and checks the registry's
// storage shows it, then cancels it and checks it is gone.
func TestOpenUploads(t *testing.T) {
	for _, spec := range []Spec{
		{Name: "uploads-distribution", Kind: KindDistribution, Delete: true},
		{Name: "uploads-olareg", Kind: KindOlareg, Delete: true, Referrers: true},
	} {
		t.Run(spec.Kind, func(t *testing.T) {
			t.Parallel()
			inst := startT(t, spec)
			before, err := inst.OpenUploads()
			if err != nil {
				t.Fatalf("OpenUploads: %v", err)
			}
			// Seeding completed its uploads; none may be left open.
			if len(before) != 0 {
				t.Errorf("OpenUploads after seeding = %v, want none", before)
			}

			resp, body := request(t, http.MethodPost, inst.URL+"/v2/library/alpine/blobs/uploads/", nil)
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("POST upload = %s: %s", resp.Status, body)
			}
			loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
			if err != nil || resp.Header.Get("Location") == "" {
				t.Fatalf("bad Location %q: %v", resp.Header.Get("Location"), err)
			}
			open, err := inst.OpenUploads()
			if err != nil {
				t.Fatalf("OpenUploads: %v", err)
			}
			if len(open) != 1 || !strings.HasPrefix(open[0], "library/alpine/") {
				t.Fatalf("OpenUploads with one session open = %v, want one under library/alpine/", open)
			}
			if spec.Kind == KindDistribution {
				// Distribution names the session directory by its UUID.
				if id := resp.Header.Get("Docker-Upload-UUID"); open[0] != "library/alpine/"+id {
					t.Errorf("OpenUploads = %v, want library/alpine/%s", open, id)
				}
			}

			// Spec says 204; olareg v0.1.2 answers 202. Either way the
			// session must be gone, which is what this test is about.
			resp, body = request(t, http.MethodDelete, loc.String(), nil)
			if resp.StatusCode/100 != 2 {
				t.Fatalf("DELETE %s = %s: %s", loc, resp.Status, body)
			}
			// The registry must agree the session is gone (Distribution:
			// 404, olareg: 400, both with BLOB_UPLOAD_UNKNOWN).
			resp, body = request(t, http.MethodGet, loc.String(), nil)
			if resp.StatusCode/100 != 4 || !strings.Contains(string(body), "BLOB_UPLOAD_UNKNOWN") {
				t.Errorf("GET %s after DELETE = %s, want 4xx BLOB_UPLOAD_UNKNOWN: %s", loc, resp.Status, body)
			}
			after, err := inst.OpenUploads()
			if err != nil {
				t.Fatalf("OpenUploads: %v", err)
			}
			if len(after) != 0 {
				t.Errorf("OpenUploads after DELETE = %v, want none", after)
			}
		})
	}
	t.Run("crane", func(t *testing.T) {
		t.Parallel()
		inst := startT(t, Spec{Name: "uploads-crane", Kind: KindCrane})
		_, err := inst.OpenUploads()
		if !errors.Is(err, ErrNotObservable) {
			t.Errorf("OpenUploads on crane = %v, want ErrNotObservable", err)
		}
	})
}

// TestStartBusyPort checks that a fixed port someone else holds gives an
// error naming that port, and that nothing is left running.
func TestStartBusyPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	inst, err := Start(testCtx(t), bins(t), t.TempDir(), Spec{Name: "busy", Kind: KindCrane, Port: port})
	if err == nil {
		_ = inst.Stop()
		t.Fatal("Start on a busy port succeeded")
	}
	if !strings.Contains(err.Error(), strconv.Itoa(port)) || !strings.Contains(err.Error(), "busy") {
		t.Errorf("error does not name the busy port %d: %v", port, err)
	}
}

// TestStartReportsDeath checks that a registry dying at startup yields an
// error carrying its log, without waiting for the readiness timeout.
func TestStartReportsDeath(t *testing.T) {
	dir := t.TempDir()
	script := "#!/bin/sh\necho 'zoo-test: simulated startup failure' >&2\nexit 3\n"
	if err := os.WriteFile(filepath.Join(dir, "crane"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	inst, err := Start(testCtx(t), dir, t.TempDir(), Spec{Name: "dies", Kind: KindCrane})
	if err == nil {
		_ = inst.Stop()
		t.Fatal("Start of a dying registry succeeded")
	}
	if !strings.Contains(err.Error(), "simulated startup failure") {
		t.Errorf("error lacks the log tail: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v to notice the death", d)
	}
}

func TestStartRejectsBadSpecs(t *testing.T) {
	for _, spec := range []Spec{
		{Name: "", Kind: KindCrane},
		{Name: "../escape", Kind: KindCrane},
		{Name: "x", Kind: "zot"},
	} {
		if inst, err := Start(testCtx(t), t.TempDir(), t.TempDir(), spec); err == nil {
			_ = inst.Stop()
			t.Errorf("Start(%+v) succeeded", spec)
		}
	}
}

func TestRepoRoot(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "zoo", "go.mod")); err != nil {
		t.Errorf("RepoRoot = %s without zoo/go.mod: %v", root, err)
	}
}
