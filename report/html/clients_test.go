package html

import (
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestClientsSection: the readiness tables, offline, escaped, with their
// evidence folded; absent from a run without clients.
func TestClientsSection(t *testing.T) {
	if page := render(t, resultstest.Sample()); strings.Contains(page, "Client readiness") || strings.Contains(page, ".oc-unsafe") {
		t.Error("a run without clients has a readiness section or its style")
	}
	page := render(t, resultstest.WithClients())
	checkSelfContained(t, page)
	for _, bad := range []string{"<script>alert", "<b>", "\x1b", "\x00", "\x07", "\xff"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, want := range []string{
		`<section class="readiness" id="clients-0" data-registry="zoo-distribution">`,
		`<h3>zoo-distribution <small>(6 confirmed, 5 predicted)</small></h3>`,
		// Advice from the model, its quoted command as code.
		`<td>use <code>oras attach --distribution-spec v1.1-referrers-tag</code></td>`,
		// Unsafe and a mismatch stand out.
		`<tr class="attention" data-client="oras" data-workflow="attach-referrers-api">`,
		`<td class="oc-unsafe">UNSAFE</td>`,
		`<tr class="attention" data-client="crane" data-workflow="delete-digest">`,
		`<div class="mismatch"><strong>MISMATCH: predicted works</strong></div>`,
		// The hostile advice is escaped, its backticked part as code.
		`do not run <code>regctl tag delete</code> here: &lt;script&gt;alert(1)&lt;/script&gt;`,
		// Folded evidence: the command, its ending, its output; the
		// check on the registry; egress; the workflow file.
		`<details><summary>1 client run, 2 requests</summary>`,
		`$ oras attach --plain-http --artifact-type application/vnd.ocicaps.test 127.0.0.1:5001/ocicaps/scratch@sha256:5d0da3dc976460b72c77d94c8a1ad043720b0416bfc16c52c45d4847e53fadb6 sig.txt</span> → exit 0 (380 ms)`,
		`<summary>output, 126 bytes</summary><pre>Attached to`,
		`<dt>Egress</dt><dd>tried to reach CONNECT tuf-repo-cdn.sigstore.dev:443`,
		`<dt>Workflow file</dt><dd class="mono">features/clients/crane.feature:61</dd>`,
		`→ no result: stopped at the time limit`,
		`<summary>why</summary>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
