package e2e

import (
	"strings"
	"testing"

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
