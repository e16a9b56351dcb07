package e2e

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/results"
)

// TestUnreachableOneLine: a registry nobody listens for gets one console
// line for its one cause, not one per capability, while results.json keeps
// every capability's error; --format quiet says that reason under its
// verdict.
func TestUnreachableOneLine(t *testing.T) {
	addr := fmt.Sprintf("127.0.0.1:%d", closedPort(t))
	// The truth, by a direct dial: the port refuses.
	if c, err := net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
		c.Close()
		t.Fatalf("%s accepted a connection; the test needs a refused port", addr)
	} else if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial %s: %v, want connection refused", addr, err)
	}
	cfg := writeConfig(t, nil, map[string]string{"down": "http://" + addr})

	r := runOcicaps(t, "--config", cfg)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	lines := detailLines(r.stdout, "  down: ")
	if len(lines) != 1 || !strings.Contains(lines[0], "cannot be reached (5 capabilities in error)") ||
		!strings.Contains(lines[0], "connection refused") {
		t.Errorf("console detail lines for the refused registry: %q, want one naming the refused connection\n%s", lines, r.stdout)
	}
	if r.run == nil {
		t.Fatal("results.json not written")
	}
	for _, c := range registry(t, r.run, "down").Capabilities {
		if c.Status != results.Error || !strings.Contains(c.Reason, "connection refused") {
			t.Errorf("results.json %s: %s %q, want its own error", c.ID, c.Status, c.Reason)
		}
	}

	q := runOcicaps(t, "--config", cfg, "--format", "quiet")
	if q.code != 1 || q.stdout != "" {
		t.Fatalf("quiet: exit %d, stdout %q; want 1 and nothing", q.code, q.stdout)
	}
	want := "ocicaps: 1 registry at or above --fail-on fail: down\n  down: cannot be reached (5 capabilities in error): "
	if !strings.Contains(q.stderr, want) || !strings.Contains(q.stderr, "connection refused") {
		t.Errorf("quiet stderr lacks the reason:\n%s", q.stderr)
	}
}

func detailLines(out, prefix string) []string {
	var got []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			got = append(got, l)
		}
	}
	return got
}
