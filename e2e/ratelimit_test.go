package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/faultproxy"
	"github.com/ocicaps/ocicaps/results"
)

// TestRateLimitedIsAnError: zoo-distribution behind a proxy that answers
// every PATCH and PUT of an upload 429 Too Many Requests (what Docker Hub does to a
// client over its pull or push limit). Each capability that uploads ends
// in error saying "rate limited" — never unsupported, never a deviation —
// the others keep their verdicts, and the console names the registry and
// how many 429s it gave. A registry-wide rateLimit is set on the way, so
// the key is exercised end to end (it changes no verdict).
func TestRateLimitedIsAnError(t *testing.T) {
	name := order[0]
	p, err := faultproxy.New(instances[name].URL, 0, faultproxy.Always(faultproxy.RateLimited, func(r *http.Request) bool {
		// Not the POST and DELETE of verify mode's preflight, whose 429
		// would stop every verify scenario at once (runner/preflight.go).
		return strings.Contains(r.URL.Path, "/blobs/uploads/") && r.Method != http.MethodPost && r.Method != http.MethodDelete
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cfg := writeRawConfig(t, fmt.Sprintf(`defaults:
  retry: {max: 1, minWait: 10ms, maxWait: 50ms, maxRetryAfter: 2s}
  rateLimit: {requestsPerSecond: 500, burst: 50}
registries:
  - name: plain
    url: %s
    scratchRepository: library/ocicaps-429-plain
  - name: throttled
    url: %s
    scratchRepository: library/ocicaps-429-throttled
`, instances[name].URL, p.URL))
	r := runOcicaps(t, "--config", cfg, "--check", "all", "--verify")
	if r.run == nil {
		t.Fatalf("no results (exit %d)\n%s", r.code, r.stderr)
	}
	plain, throttled := registry(t, r.run, "plain"), registry(t, r.run, "throttled")
	limited := 0
	for _, want := range plain.Capabilities {
		got, _ := throttled.Capability(want.ID)
		switch {
		case got.Status == results.Error && strings.Contains(got.Reason, "rate limited"):
			limited++
		case got.Status != want.Status:
			t.Errorf("%s: %s (%s), %s without the 429s", got.ID, got.Status, got.Reason, want.Status)
		}
		if len(got.Deviations) > len(want.Deviations) {
			t.Errorf("%s: a 429 made a deviation: %+v", got.ID, got.Deviations)
		}
	}
	if limited == 0 {
		t.Fatal("no capability was rate limited: the proxy did nothing")
	}
	if throttled.RateLimited == 0 || plain.RateLimited != 0 {
		t.Errorf("rateLimited: throttled %d, plain %d", throttled.RateLimited, plain.RateLimited)
	}
	line := fmt.Sprintf("throttled: rate limited: %d answers 429 Too Many Requests, %d capabilities in error for it", throttled.RateLimited, limited)
	if !strings.Contains(r.stdout, line) {
		t.Errorf("the console does not say %q:\n%s", line, r.stdout)
	}
}
