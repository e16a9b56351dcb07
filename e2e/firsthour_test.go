package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// TestHTTPSToPlainHTTPSaysWhatToType probes a plain-HTTP zoo registry
// with https:// (curl -v https://127.0.0.1:PORT/v2/ fails the handshake
// with "wrong version number": the answer is plain HTTP). The console
// says what to type instead, and the same answer is not asked for again.
func TestHTTPSToPlainHTTPSaysWhatToType(t *testing.T) {
	inst := instances[zoo.NameDistribution]
	r := runOcicaps(t, "https://"+inst.Host)
	if r.code != 1 || r.run == nil {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	want := "give http://" + inst.Host
	if !strings.Contains(r.stdout, want) {
		t.Errorf("the console does not say %q:\n%s", want, r.stdout)
	}
	for _, c := range r.run.Registries[0].Capabilities {
		for _, ex := range c.Exchanges {
			if ex.Attempts > 1 {
				t.Errorf("%s: %s %s tried %d times: the same answer comes back on every retry", c.ID, ex.Method, ex.URL, ex.Attempts)
			}
		}
	}
}

// TestUnreachableVerifyAllOneLinePerCause: --check all --verify against a
// port that refuses (a direct dial says so) says the cause once, not 40
// "not attempted" lines; --format progress says why the registry failed;
// no line of the matrix is wider than 120 columns off a terminal.
func TestUnreachableVerifyAllOneLinePerCause(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", closedPort(t))
	if c, err := net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
		c.Close()
		t.Fatalf("%s accepted a connection; the test needs a refused port", addr)
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial %s: %v, want connection refused", addr, err)
	}
	cfg := writeConfig(t, nil, map[string]string{"down": "http://" + addr})
	r := runOcicaps(t, "--config", cfg, "--check", "all", "--verify")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	lines := detailLines(r.stdout, "  down: ")
	if len(lines) > 2 || !strings.Contains(strings.Join(lines, "\n"), "cannot be reached") ||
		!strings.Contains(strings.Join(lines, "\n"), "connection refused") {
		t.Errorf("detail lines of the refused registry: %q, want the cause once (and the warning)\n%s", lines, r.stdout)
	}
	checkMatrixWidth(t, r.stdout, 120)

	p := runOcicaps(t, "--config", cfg, "--check", "all", "--verify", "--format", "progress")
	if !strings.Contains(p.stdout, "  down: cannot be reached") || !strings.Contains(p.stdout, "connection refused") {
		t.Errorf("--format progress does not say why the registry failed:\n%s", p.stdout)
	}
}

// checkMatrixWidth fails when a line of the matrix (the console before
// its detail lines) is wider than width.
func checkMatrixWidth(t *testing.T, stdout string, width int) {
	t.Helper()
	matrix, _, _ := strings.Cut(stdout, "\n\n  ")
	for _, l := range strings.Split(matrix, "\n") {
		if n := utf8.RuneCountInString(l); n > width {
			t.Errorf("a matrix line of %d columns, more than %d: %q", n, width, l)
		}
	}
}

// TestZooVerifyAllFitsAndGroups: --check all --verify against the five zoo
// registries prints a matrix grouped by check area that fits 120 columns.
func TestZooVerifyAllFitsAndGroups(t *testing.T) {
	r := verifyAll(t)
	checkMatrixWidth(t, r.stdout, 120)
	for _, check := range []string{"check.integration.oci.capabilities\n", "check.oci.spec.push\n"} {
		if !strings.Contains(r.stdout, "\n"+check) {
			t.Errorf("no check area title %q:\n%s", check, r.stdout)
		}
	}
	t.Logf("console:\n%s", r.stdout)
}

// engineerTruth is what each zoo registry did for the six capabilities a
// registry engineer wrote from the docs (e2e/testdata/firsthour), seen with
// curl against the zoo (2026-12-07; M the seed manifest digest, L its
// layer):
//   - blob-head: curl -I /v2/library/alpine/blobs/L → 200, Content-Length
//     2588 (the layer's size in the manifest), Docker-Content-Digest L, on
//     all three.
//   - manifest-head-by-digest: curl -I -H "Accept: …oci…manifest" …/manifests/M
//     → 200, Content-Length 402, Docker-Content-Digest M, on all three.
//   - accept-negotiation: curl -H "Accept: application/vnd.docker.distribution.manifest.v2+json"
//     …/manifests/latest → Distribution 404, olareg 404, crane 200 with
//     Content-Type application/vnd.oci.image.manifest.v1+json (ignores Accept).
//   - conditional-get: curl -H 'If-None-Match: "M"' …/manifests/latest →
//     Distribution 304 with no body; crane and olareg 200 with the 402 bytes.
//   - tag-overwrite: PUT manifest A then B to :fh-overwrite (201, 201); GET
//     of the tag → B's digest on all three.
//   - upload-resume: POST, PATCH bytes 0-1499 (202, Range 0-1499), GET of
//     the session → Distribution and olareg 204 Range 0-1499, crane 400
//     (NAME_INVALID); PUT 1500-2999 ?digest= → 201, the blob reads back.
var engineerTruth = map[string]map[string]results.Status{
	zoo.NameDistribution: {"blob-head": results.Supported, "manifest-head-by-digest": results.Supported, "accept-negotiation": results.Supported,
		"conditional-get": results.Supported, "tag-overwrite": results.Supported, "upload-resume": results.Supported},
	zoo.NameCrane: {"blob-head": results.Supported, "manifest-head-by-digest": results.Supported, "accept-negotiation": results.Unsupported,
		"conditional-get": results.Unsupported, "tag-overwrite": results.Supported, "upload-resume": results.Unsupported},
	zoo.NameOlareg: {"blob-head": results.Supported, "manifest-head-by-digest": results.Supported, "accept-negotiation": results.Supported,
		"conditional-get": results.Unsupported, "tag-overwrite": results.Supported, "upload-resume": results.Supported},
}

// TestAddFeaturesBesideBuiltins: the six capabilities the engineer wrote
// run with --add-features beside the built-in suite (the seed's check runs
// too, by default) and get the verdicts curl saw.
func TestAddFeaturesBesideBuiltins(t *testing.T) {
	names := []string{zoo.NameDistribution, zoo.NameCrane, zoo.NameOlareg}
	cfg := writeConfig(t, names, nil)
	r := runOcicaps(t, "--config", cfg, "--verify", "--add-features", filepath.Join(root, "e2e", "testdata", "firsthour"))
	if r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, name := range names {
		got := statuses(registry(t, r.run, name))
		for id, want := range engineerTruth[name] {
			if got[id] != want {
				c := capability(t, registry(t, r.run, name), id)
				t.Errorf("%s: %s is %s (%s), curl saw %s", name, id, got[id], c.Reason, want)
			}
		}
		for _, id := range []string{"distribution-version", "referrers", "chunked-upload", "cross-repo-mount", "delete"} {
			if _, ok := got[id]; !ok {
				t.Errorf("%s: the built-in %s did not run beside the added folder", name, id)
			}
		}
	}
	if !strings.Contains(r.stdout, "\ncheck.example.engineer\n") {
		t.Errorf("the added check has no group in the console:\n%s", r.stdout)
	}
}

// TestMatrixFitsATerminal: with stdout on a terminal of 60 columns, no
// line of the matrix of --check all on the five zoo registries is wider:
// the registries' columns are split into blocks.
func TestMatrixFitsATerminal(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, ocicaps, "run", "--config", writeConfig(t, order, nil), "--check", "all", "--out", filepath.Join(t.TempDir(), "r"))
	cmd.Env = append(os.Environ(), "DOCKER_CONFIG="+t.TempDir())
	screen := runOnTerminal(t, cmd, 60, func(tty *os.File) { cmd.Stdout, cmd.Stderr = tty, io.Discard })
	out := strings.ReplaceAll(screen, "\r\n", "\n")
	checkMatrixWidth(t, out, 60)
	if n := strings.Count(out, "\ncapability "); n < 2 {
		t.Errorf("%d blocks of columns at 60 columns, want the five registries split:\n%s", n, out)
	}
}
