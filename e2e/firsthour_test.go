package e2e

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ocicaps/ocicaps/internal/zoo"
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
