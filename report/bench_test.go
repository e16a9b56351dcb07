package report

import (
	"fmt"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/results"
)

// fleet is a run over n registries with the seed's five capabilities and
// their nine exchanges each, the size of a nightly fleet run's results.
func fleet(n int) *results.Run {
	run := &results.Run{SchemaVersion: results.SchemaVersion, Tool: results.Tool{Name: "ocicaps", Version: "bench"},
		StartedAt: time.Unix(0, 0).UTC(), Suite: "embedded", Selection: "@check:check.integration.oci.capabilities"}
	ids := []string{"distribution-version", "referrers", "chunked-upload", "cross-repo-mount", "delete"}
	requests := []int{1, 2, 2, 3, 1}
	for i := range n {
		url := fmt.Sprintf("https://registry-%03d.example.com", i)
		reg := results.Registry{Index: i, Name: fmt.Sprintf("registry-%03d", i), URL: url, TestRepository: "library/alpine", TestTag: "latest", DurationMS: 250}
		for j, id := range ids {
			c := results.Capability{ID: id, Check: "check.integration.oci.capabilities", Name: id, SeverityWhenMissing: results.Info,
				Status: results.Supported, Source: "capabilities/" + id + ".feature:15", DurationMS: 50}
			if j == 1 {
				c.Status, c.Reason, c.SeverityWhenMissing = results.Unsupported, "the status was 404 Not Found, not 200", results.Warn
			}
			for k := range requests[j] {
				c.Exchanges = append(c.Exchanges, results.Exchange{
					Method: "GET", URL: fmt.Sprintf("%s/v2/library/alpine/manifests/latest?%d", url, k), Status: 200, Attempts: 1, DurationMS: 26,
					RequestHeaders:  map[string][]string{"Accept": {"application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json"}},
					ResponseHeaders: map[string][]string{"Content-Type": {"application/vnd.oci.image.manifest.v1+json"}, "Docker-Content-Digest": {"sha256:2076ec8ee7eb37a67348ba87618e7212543f3822c58bbe6f6a6d84b5e7876ca9"}, "Date": {"Fri, 27 Nov 2026 05:00:00 GMT"}},
				})
			}
			reg.Capabilities = append(reg.Capabilities, c)
		}
		results.Summarize(&reg)
		run.Registries = append(run.Registries, reg)
	}
	return run
}

// BenchmarkWriteAll100 writes every report file of a 100-registry run.
func BenchmarkWriteAll100(b *testing.B) {
	run := fleet(100)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := WriteAll(dir, run); err != nil {
			b.Fatal(err)
		}
	}
}
