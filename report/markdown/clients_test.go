package markdown

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestClients: a table per registry, unsafe and mismatches in bold,
// advice with its commands as code, hostile text escaped; no section
// without clients; a fleet shares tables and stays under MaxBytes.
func TestClients(t *testing.T) {
	if md := Render(resultstest.Sample()); strings.Contains(md, "Client readiness") {
		t.Error("readiness in a run without clients")
	}
	md := Render(resultstest.WithClients())
	for _, want := range []string{
		"### Client readiness\n",
		"**zoo-distribution** (6 confirmed, 5 predicted):\n\n| client | workflow | outcome | basis | what to do |\n|---|---|---|---|---|\n",
		"| oras | attach | works-with-fallback | confirmed | use `oras attach --distribution-spec v1.1-referrers-tag` |\n",
		"| oras | attach-referrers-api | **UNSAFE** | confirmed | do not use `oras attach --distribution-spec v1.1-referrers-api` here:",
		"| crane | delete-digest | fails | confirmed; **MISMATCH: predicted works** | delete by tag with `crane delete` of the tag first |\n",
		"| cosign | sign-oci-1-1 | works-with-fallback | predicted | use `--registry-referrers-mode=oci-1-1` |\n",
		"- crane delete-digest: **MISMATCH**: predicted works \\(delete supported\\)",
		"- cosign verify: tried to reach `CONNECT tuf-repo-cdn.sigstore.dev:443`",
		"| regctl | tag-delete | **UNSAFE** | confirmed | do not run `regctl tag delete` here: \\<script\\>alert\\(1\\)\\</script\\>",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	for _, bad := range []string{"\x1b", "\x00"} {
		if strings.Contains(md, bad) {
			t.Errorf("summary holds %q", bad)
		}
	}
	if regexp.MustCompile(`(^|[^\\])<`).MatchString(md) {
		t.Error("summary holds an unescaped <")
	}
	// 100 registries with plain names (the sample's hostile name alone
	// fills most of the budget in "Not at pass").
	run := resultstest.Scale(resultstest.WithClients(), 100)
	for i := range run.Registries {
		run.Registries[i].Name = fmt.Sprintf("registry-%03d", i)
	}
	fleet := Render(run)
	if n := strings.Count(fleet, "| client | workflow |"); n != 3 || strings.Contains(fleet, "cut to keep this summary short") {
		t.Errorf("%d readiness tables for 100 registries of 3 kinds, want 3, uncut", n)
	}
	if len(fleet) > MaxBytes {
		t.Errorf("summary of %d bytes", len(fleet))
	}
}
