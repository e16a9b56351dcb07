package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"os/exec"

	"github.com/ocicaps/ocicaps/internal/faultproxy"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
)

// writeRawConfig writes a registries.yaml with the given body.
func writeRawConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "registries.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestFaultsAbsorbedByRetries puts a fault-injecting proxy in front of
// every zoo registry: about a quarter of the requests get a 503, a 429 with
// Retry-After, a 502 or a reset connection (never twice for the
// same request), and every request 10 ms of latency. The verdicts must be
// those of a clean run.
func TestFaultsAbsorbedByRetries(t *testing.T) {
	clean := runOcicaps(t, "--config", writeConfig(t, order, nil), "--check", "all")
	if clean.run == nil {
		t.Fatalf("clean run failed: %s", clean.stderr)
	}
	var b strings.Builder
	b.WriteString("defaults:\n  retry: {max: 3, minWait: 10ms, maxWait: 100ms, maxRetryAfter: 2s}\nregistries:\n")
	proxies := map[string]*faultproxy.Proxy{}
	for i, name := range order {
		p, err := faultproxy.New(instances[name].URL, 10*time.Millisecond,
			faultproxy.Share(0.35, uint64(i+1), faultproxy.Unavailable, faultproxy.Reset, faultproxy.RateLimited, faultproxy.BadGateway))
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		proxies[name] = p
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n", name, p.URL)
	}
	faulty := runOcicaps(t, "--config", writeRawConfig(t, b.String()), "--check", "all")
	if faulty.run == nil {
		t.Fatalf("faulty run failed: %s", faulty.stderr)
	}
	var faulted, total, retried int
	for _, name := range order {
		counts, n := proxies[name].Counts()
		total += n
		faulted += n - counts[faultproxy.None]
		want, got := statuses(registry(t, clean.run, name)), statuses(registry(t, faulty.run, name))
		for id, w := range want {
			if got[id] != w {
				c := capability(t, registry(t, faulty.run, name), id)
				t.Errorf("%s/%s: %s under faults (%s), %s on a clean run", name, id, got[id], c.Reason, w)
			}
		}
		for _, c := range registry(t, faulty.run, name).Capabilities {
			for _, ex := range c.Exchanges {
				retried += len(ex.Retries)
			}
		}
	}
	if faulted == 0 || retried == 0 {
		t.Fatalf("the proxy faulted %d of %d requests and ocicaps retried %d times: the test did not test anything", faulted, total, retried)
	}
	t.Logf("faults: %d of %d requests (%.0f%%) faulted; %d retries recorded in the evidence; verdicts equal to the clean run",
		faulted, total, 100*float64(faulted)/float64(total), retried)
}

// TestFaultsNotAbsorbed: a registry that keeps answering 503 to the
// referrers API, and one whose /v2/ body stalls, end as errors whose reason
// says so — never as unsupported — within their time limits, while the
// others finish.
func TestFaultsNotAbsorbed(t *testing.T) {
	name := order[0]
	always503, err := faultproxy.New(instances[name].URL, 0, faultproxy.Always(faultproxy.Unavailable, func(r *http.Request) bool {
		return strings.Contains(r.URL.Path, "/referrers/")
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer always503.Close()
	stall, err := faultproxy.New(instances[name].URL, 0, faultproxy.Always(faultproxy.StallBody, func(r *http.Request) bool {
		return r.URL.Path == "/v2/"
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer stall.Close()
	cfg := writeRawConfig(t, fmt.Sprintf(`defaults:
  retry: {max: 2, minWait: 10ms, maxWait: 50ms}
  timeouts: {request: 1s, registry: 30s}
registries:
  - name: always-503
    url: %s
  - name: stalls
    url: %s
  - name: healthy
    url: %s
`, always503.URL, stall.URL, instances[name].URL))
	start := time.Now()
	r := runOcicaps(t, "--config", cfg)
	if r.code != 1 || r.run == nil {
		t.Fatalf("exit %d, want 1 (registries at fail)\n%s", r.code, r.stderr)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the run took %s; time limits should have ended it sooner", d)
	}
	ref := capability(t, registry(t, r.run, "always-503"), "referrers")
	if ref.Status != results.Error || !strings.Contains(ref.Reason, "503") {
		t.Errorf("always-503 referrers: %s %q, want an error naming the 503", ref.Status, ref.Reason)
	}
	if n := len(ref.Exchanges); n == 0 || ref.Exchanges[n-1].Attempts != 3 {
		t.Errorf("the 503 should have been tried 3 times: %+v", ref.Exchanges)
	}
	dv := capability(t, registry(t, r.run, "stalls"), "distribution-version")
	if dv.Status != results.Error || !strings.Contains(dv.Reason, "timed out") {
		t.Errorf("stalled body: %s %q, want an error saying it timed out", dv.Status, dv.Reason)
	}
	if h := registry(t, r.run, "healthy"); h.Severity == results.Fail {
		t.Errorf("the healthy registry was dragged down: %+v", h)
	}
}

// startUntilHang starts `ocicaps run ARGS` and returns once the proxy holds
// a request it will never answer.
func startUntilHang(t *testing.T, p *faultproxy.Proxy, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(ocicaps, append([]string{"run"}, args...)...)
	se := &strings.Builder{}
	cmd.Stderr = se
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A test that fails before it interrupts the run must not leave it
	// running: what it holds open on the shared zoo would fail the tests
	// after it.
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		if counts, _ := p.Counts(); counts[faultproxy.Hang] > 0 {
			return cmd, se
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the run never reached the request the proxy holds\n%s", se.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitOpenUploads polls the registry's storage until it holds an open
// upload session, or the time is up.
func waitOpenUploads(inst *zoo.Instance, limit time.Duration) ([]string, error) {
	deadline := time.Now().Add(limit)
	for {
		open, err := inst.OpenUploads()
		if err != nil || len(open) > 0 || time.Now().After(deadline) {
			return open, err
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestInterruptCleansUp sends SIGINT to a run while a registry holds one of
// its upload sessions and is slow to answer: the run must exit promptly with
// 130, close the session, and leave reports marked incomplete.
func TestInterruptCleansUp(t *testing.T) {
	inst := instances[order[0]]
	// The upload-status probe opens a session, then asks for its status;
	// the proxy never answers that, so the session is open when SIGINT
	// comes.
	slow, err := faultproxy.New(inst.URL, 0, faultproxy.Always(faultproxy.Hang, func(r *http.Request) bool {
		return r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/blobs/uploads/")
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	cfg := writeRawConfig(t, fmt.Sprintf("registries:\n  - name: slow\n    url: %s\n", slow.URL))
	out := filepath.Join(t.TempDir(), "reports")
	cmd, se := startUntilHang(t, slow, "--config", cfg, "--out", out, "--check", "all")
	// Other probes GET upload URLs too (upload-cancel checks that the
	// session it closed is gone), and with the scenarios side by side
	// either may be the first the proxy holds: wait until upload-status
	// holds its open session too.
	open, err := waitOpenUploads(inst, 20*time.Second)
	if err != nil || len(open) == 0 {
		t.Fatalf("no upload session open at the interrupt (%v, %v): the test would not test clean-up", open, err)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	err = cmd.Wait()
	took := time.Since(sent)
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	if code != 130 {
		t.Errorf("exit %d after SIGINT, want 130\n%s", code, se.String())
	}
	// Typically 60 ms; the bound leaves room for a loaded machine under
	// -race, so that only a run that waits for the held request fails.
	if took > 5*time.Second {
		t.Errorf("exited %s after SIGINT; want within a few seconds", took)
	}
	t.Logf("exited %s after SIGINT", took.Round(time.Millisecond))
	run, err := jsonfile.Read(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatalf("no results.json after interrupt: %v", err)
	}
	if !run.Incomplete {
		t.Error("results.json is not marked incomplete")
	}
	us := capability(t, run.Registries[0], "upload-status")
	if us.Status != results.Error || !strings.Contains(us.Reason, "interrupted by SIGINT") {
		t.Errorf("upload-status after the interrupt: %s %q", us.Status, us.Reason)
	}
	junit, err := os.ReadFile(filepath.Join(out, "junit.xml"))
	if err != nil || !strings.Contains(string(junit), `name="incomplete" value="true"`) {
		t.Errorf("junit.xml missing or not marked incomplete: %v", err)
	}
	if open, err := inst.OpenUploads(); err != nil || len(open) != 0 {
		t.Errorf("after the interrupt the registry holds upload sessions %v (err %v)", open, err)
	}
}
