package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

func TestRenderSample(t *testing.T) {
	md := Render(resultstest.Sample())
	for _, want := range []string{
		"## OCI registry capabilities\n",
		"3 registries · 2026-11-27 09:30 UTC · ocicaps v0.2.0 · selection `@check:check.integration.oci.capabilities` · fails at fail · 1 pass, 1 warn, 1 fail\n",
		"| registry | distribution-version | referrers | chunked-upload | cross-repo-mount | delete | score | severity |\n|---|---|---|---|---|---|---:|---|\n",
		"| zoo-distribution | yes | no (lost) | yes (1 deviation) | yes | yes | 4/5 | warn |\n",
		"| all-good | yes | yes | yes | yes | yes | 5/5 | pass |\n",
		"### Changes since the baseline\n\nBaseline `previous/results.json`, run of 2026-11-26 09:30 UTC: 1 capability lost, 0 gained.\n",
		"- **zoo-distribution**: lost referrers (supported → unsupported: referrers API answered 404 without an OCI index); score 5/5 → 4/5; severity pass → warn\n",
		"- **retired**: removed (only in the baseline)\n",
		"### Not at pass (2)\n",
		"- **zoo-distribution** (warn, 4/5): referrers unsupported (warn): referrers API answered 404 without an OCI index; 1 deviation from the spec; 1 leftover to remove by hand\n",
		"### Deviations from the spec\n",
		"- chunked-upload deviates from \"Pushing a blob in chunks\" on **zoo-distribution**: the 201 Created closing an upload session MUST carry Location: \\<blob-location\\>; the registry answered 201 Created without it (`PUT /v2/library/alpine/blobs/uploads/7?digest=sha256:abc` → 201)\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	// The failing registry (run order second) is listed first: worst first.
	if strings.Index(md, "- **refuses") > strings.Index(md, "- **zoo-distribution** (warn") {
		t.Errorf("not worst first:\n%s", md)
	}
	if strings.Contains(md, "- **all-good**") {
		t.Errorf("a registry at pass is listed as not at pass")
	}
}

// A registry's answer must not inject Markdown or HTML into a pull-request
// comment, nor break a table row.
func TestHostileTextIsEscaped(t *testing.T) {
	md := Render(resultstest.Sample())
	for _, bad := range []string{"<script>", "](https://evil", "![i]", "\x1b", "\x00", "\xff", "<b>"} {
		if strings.Contains(md, bad) {
			t.Errorf("summary contains %q unescaped:\n%s", bad, md)
		}
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| refuses") {
			// The row has exactly the header's cells: escaped pipes do not count.
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 9 {
				t.Errorf("row has %d cell separators, want 9: %s", n, line)
			}
			if !strings.Contains(line, "| **ERROR** | **ERROR** |") || !strings.HasSuffix(line, "| 0/5 | **fail** |") {
				t.Errorf("error row: %s", line)
			}
		}
	}
	if !strings.Contains(md, `refuses \<b\>\<script\>alert\(1\)\</script\> \& "q" 'a' \[x\]\(https://evil.example/\)`) {
		t.Errorf("escaped name not found:\n%s", md)
	}
}

func TestAllPassNoTrendEmptyIncomplete(t *testing.T) {
	reg := results.Registry{Name: "r", Capabilities: []results.Capability{{ID: "x", Status: results.Supported}}}
	results.Summarize(&reg)
	md := Render(&results.Run{Registries: []results.Registry{reg}})
	if !strings.Contains(md, "Every registry is at pass.") || strings.Contains(md, "Not at pass") || strings.Contains(md, "baseline") {
		t.Errorf("all pass:\n%s", md)
	}
	md = Render(&results.Run{Incomplete: true})
	if !strings.Contains(md, "No registries in this run.") || !strings.Contains(md, "**Run incomplete:**") {
		t.Errorf("empty incomplete run:\n%s", md)
	}
	same := resultstest.Sample()
	same.Trend = &results.Trend{Registries: []results.RegistryTrend{{Name: "zoo-distribution", Score: 1, ScoreBefore: 1}}}
	if md := Render(same); !strings.Contains(md, "No changes.") {
		t.Errorf("unchanged trend:\n%s", md)
	}
}

// The failing threshold shows: with --fail-on warn a warn registry is bold.
func TestFailOnMarksSeverity(t *testing.T) {
	run := resultstest.Sample()
	run.FailOn = results.Warn
	md := Render(run)
	if !strings.Contains(md, "| 4/5 | **warn** |") || !strings.Contains(md, "fails at warn") {
		t.Errorf("warn not marked as failing:\n%s", md)
	}
}

// 100 registries, all failing with long reasons, stay under the limit: the
// details are cut, the matrix is whole.
func TestSizeBound(t *testing.T) {
	run := resultstest.Scale(resultstest.Sample(), 300)
	for i := range run.Registries {
		for j := range run.Registries[i].Capabilities {
			run.Registries[i].Capabilities[j].Status = results.Error
			run.Registries[i].Capabilities[j].Reason = strings.Repeat("long reason ", 50)
		}
		results.Summarize(&run.Registries[i])
	}
	md := Render(run)
	if len(md) > MaxBytes {
		t.Errorf("summary is %d bytes, over %d", len(md), MaxBytes)
	}
	if !strings.Contains(md, "more line(s) cut") || !strings.Contains(md, "| refuses") || !strings.Contains(md, "-299 |") {
		t.Errorf("cut summary lacks the note or the full matrix:\n%s", md[len(md)-500:])
	}
	hundred := Render(resultstest.Scale(resultstest.Sample(), 100))
	if len(hundred) > MaxBytes || strings.Contains(hundred, "cut to keep") {
		t.Errorf("100 registries: %d bytes (cut: %v)", len(hundred), strings.Contains(hundred, "cut to keep"))
	}
	t.Logf("summary.md for 100 registries: %d bytes", len(hundred))
}

func TestWrite(t *testing.T) {
	p := filepath.Join(t.TempDir(), "summary.md")
	if err := Write(p, resultstest.Sample()); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(p)
	if err != nil || string(data) != Render(resultstest.Sample()) {
		t.Errorf("file differs from Render: %v", err)
	}
	if err := Write(p, nil); err == nil {
		t.Error("nil run: no error")
	}
	if err := Write(filepath.Join(t.TempDir(), "no", "summary.md"), resultstest.Sample()); err == nil || !strings.Contains(err.Error(), "markdown") {
		t.Errorf("missing folder: %v", err)
	}
}
