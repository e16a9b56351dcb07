package e2e

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// fbCaps are the capabilities of e2e/testdata/fallbacks in
// check.test.fallbacks, in suite (file name) order; fb-unselected is in
// check.test.fallbacks-other, outside the selection.
var fbCaps = []string{"fb-mount-without-from", "fb-mount", "fb-referrers-tag", "fb-referrers", "fb-single-post", "fb-upload-again"}

// fbExpected is what each zoo registry does, seen with curl (docs in the
// final report of the fallbacks branch):
//   - GET /v2/library/alpine/referrers/<digest> answers 200 (an index,
//     "manifests": null) on olareg only; 404 on both Distributions and on
//     olareg-noreferrers, 404 METHOD_UNKNOWN on crane;
//   - an index PUT under the tag sha256-<hex> answers 201 and reads back
//     200 as an index on every registry (the referrers tag schema);
//   - POST ?mount=<digest>&from=<repo> answers 201 and the blob is there
//     (HEAD 200) everywhere but crane, which answers 202 (a session);
//   - POST ?mount=<digest> without from answers 202 on every registry;
//   - POST ?digest= with the blob answers 202 (a session, nothing stored)
//     on both Distributions, 201 on crane (without Location) and on both
//     olaregs;
//   - POST then PUT ?digest= answers 201 everywhere and the blob is there;
//     crane's 201s (single POST and PUT) carry no Location, the others'
//     do (a deviation on crane).
var fbExpected = map[string]map[string]results.Status{
	zoo.NameDistribution:         statusWords(fbCaps, "no yes yes no no yes"),
	zoo.NameDistributionNoDelete: statusWords(fbCaps, "no yes yes no no yes"),
	zoo.NameCrane:                statusWords(fbCaps, "no no yes no yes yes"),
	zoo.NameOlareg:               statusWords(fbCaps, "no yes yes yes yes yes"),
	zoo.NameOlaregNoReferrers:    statusWords(fbCaps, "no yes yes no yes yes"),
}

// fbWorks is a verified fallback with its status; fbNotRun one outside
// the selection.
func fbWorks(id string, st results.Status) results.Fallback {
	return results.Fallback{Capability: id, Check: "check.test.fallbacks", Status: st, Verified: true}
}

// fbDeviates: crane's closing 201s carry no Location (single POST, and
// the PUT after POST), a MUST of the spec: the fallback works with one
// deviation.
func fbDeviates(f results.Fallback) results.Fallback {
	f.Deviations = 1
	return f
}

// fbDeviations: the capabilities with a deviation, by registry: crane's
// closing 201s without Location.
var fbDeviations = map[string]map[string]string{
	zoo.NameCrane: {"fb-single-post": "Single POST", "fb-upload-again": "POST then PUT"},
}

var fbNotRun = results.Fallback{Capability: "fb-unselected", Check: "check.test.fallbacks-other", Status: results.NotRun,
	Hint: "select --check check.test.fallbacks-other"}

// fbReferrers are the fallbacks of fb-referrers wherever it is missing:
// the tag schema works on every registry.
var fbReferrers = []results.Fallback{fbWorks("fb-referrers-tag", results.Supported), fbNotRun}

// fbFallbacks: registry → unsupported capability → its fallbacks, from
// the statuses above. Capabilities that are supported, or declare none
// (fb-single-post), have none.
var fbFallbacks = map[string]map[string][]results.Fallback{
	zoo.NameDistribution: {
		"fb-mount-without-from": {fbWorks("fb-single-post", results.Unsupported), fbWorks("fb-upload-again", results.Supported)},
		"fb-referrers":          fbReferrers,
	},
	zoo.NameDistributionNoDelete: {
		"fb-mount-without-from": {fbWorks("fb-single-post", results.Unsupported), fbWorks("fb-upload-again", results.Supported)},
		"fb-referrers":          fbReferrers,
	},
	zoo.NameCrane: {
		"fb-mount-without-from": {fbDeviates(fbWorks("fb-single-post", results.Supported)), fbDeviates(fbWorks("fb-upload-again", results.Supported))},
		"fb-mount":              {fbWorks("fb-mount-without-from", results.Unsupported), fbDeviates(fbWorks("fb-upload-again", results.Supported))},
		"fb-referrers":          fbReferrers,
	},
	zoo.NameOlareg: {
		"fb-mount-without-from": {fbWorks("fb-single-post", results.Supported), fbWorks("fb-upload-again", results.Supported)},
	},
	zoo.NameOlaregNoReferrers: {
		"fb-mount-without-from": {fbWorks("fb-single-post", results.Supported), fbWorks("fb-upload-again", results.Supported)},
		"fb-referrers":          fbReferrers,
	},
}

// TestFallbacks runs a feature set whose fallback relations hold on some
// zoo registries and fail on others, in verify mode, and checks every
// capability's verdict and fallbacks in results.json, the console line of
// each, the JUnit property and that no trace is left.
func TestFallbacks(t *testing.T) {
	dir := filepath.Join(root, "e2e", "testdata", "fallbacks")
	r := runOcicaps(t, "--config", writeConfig(t, order, nil), "--features", dir, "--verify", "--check", "check.test.fallbacks")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if r.run.SchemaVersion != "1.3" {
		t.Errorf("schema %s, want 1.3 (fallbacks came in 1.2, a deviation's kind in 1.3)", r.run.SchemaVersion)
	}
	info, _ := r.run.Info("fb-mount")
	if !reflect.DeepEqual(info.Fallbacks, []string{"fb-mount-without-from", "fb-upload-again"}) {
		t.Errorf("fb-mount declares %v", info.Fallbacks)
	}
	lines := 0
	for _, name := range order {
		reg := registry(t, r.run, name)
		got := map[string]results.Status{}
		for _, c := range reg.Capabilities {
			got[c.ID] = c.Status
			var sections []string
			for _, d := range c.Deviations {
				sections = append(sections, d.Section)
			}
			if want := fbDeviations[name][c.ID]; strings.Join(sections, ", ") != want {
				t.Errorf("%s/%s deviations %q, want %q", name, c.ID, sections, want)
			}
			want := fbFallbacks[name][c.ID]
			if !reflect.DeepEqual(c.Fallbacks, want) {
				t.Errorf("%s/%s fallbacks:\n got %+v\nwant %+v", name, c.ID, c.Fallbacks, want)
			}
			if len(want) > 0 {
				lines++
				line := "  " + name + ": " + c.ID + ": no — "
				if !strings.Contains(r.stdout, line) {
					t.Errorf("console lacks %q:\n%s", line, r.stdout)
				}
			}
		}
		if !reflect.DeepEqual(got, fbExpected[name]) {
			t.Errorf("%s:\n got %v\nwant %v", name, got, fbExpected[name])
		}
		checkVerifyTrace(t, reg)
	}
	if n := strings.Count(r.stdout, ": no — fallback "); n != lines {
		t.Errorf("console has %d fallback lines, want %d (one per registry and unsupported capability with fallbacks)", n, lines)
	}
	for _, w := range []string{
		"  zoo-crane: fb-mount: no — fallback fb-mount-without-from does not work (verified); fallback fb-upload-again works (verified, 1 deviation)",
		"  zoo-distribution: fb-referrers: no — fallback fb-referrers-tag works (verified); fallback fb-unselected not run: select --check check.test.fallbacks-other",
	} {
		if !strings.Contains(r.stdout, w+"\n") {
			t.Errorf("console lacks %q:\n%s", w, r.stdout)
		}
	}
	junit, err := os.ReadFile(filepath.Join(r.out, "junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		`<property name="fallback" value="fb-mount: no — fallback fb-mount-without-from does not work (verified); fallback fb-upload-again works (verified, 1 deviation)">`,
		"fallback fb-single-post does not work (verified)\n",
	} {
		if !strings.Contains(string(junit), w) {
			t.Errorf("junit.xml lacks %q", w)
		}
	}
	if n := strings.Count(string(junit), `<property name="fallback" `); n != lines {
		t.Errorf("junit.xml has %d fallback properties, want %d", n, lines)
	}
	summary, err := os.ReadFile(filepath.Join(r.out, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	// summary.md groups the registries where a capability's fallbacks
	// fared the same: each registry and capability is named once.
	for _, w := range []string{
		"- fb-referrers on **zoo-distribution**, **zoo-distribution-nodelete**, **zoo-crane**, **zoo-olareg-noreferrers**: no — fallback fb-referrers-tag works (verified); fallback fb-unselected not run\n",
		"- fb-mount on **zoo-crane**: no — fallback fb-mount-without-from does not work (verified); fallback fb-upload-again works (verified, 1 deviation)\n",
		"- fb-mount-without-from on **zoo-distribution**, **zoo-distribution-nodelete**: no — fallback fb-single-post does not work (verified); fallback fb-upload-again works (verified)\n",
		"- fb-mount-without-from on **zoo-crane**: no — fallback fb-single-post works (verified, 1 deviation); fallback fb-upload-again works (verified, 1 deviation)\n",
		"- fb-mount-without-from on **zoo-olareg**, **zoo-olareg-noreferrers**: no — fallback fb-single-post works (verified); fallback fb-upload-again works (verified)\n",
	} {
		if !strings.Contains(string(summary), w) {
			t.Errorf("summary.md lacks %q:\n%s", w, summary)
		}
	}
	if n := strings.Count(string(summary), ": no — fallback "); n != 5 {
		t.Errorf("summary.md has %d fallback items, want 5", n)
	}
	page, err := os.ReadFile(filepath.Join(r.out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(page), ": no — fallback "); n != lines {
		t.Errorf("report.html has %d fallback lines, want %d", n, lines)
	}
}

// TestFallbacksProbeMode: without --verify, a fallback that only @verify
// scenarios decide is not run and says it needs --verify; nothing more is
// selected than the check asks for.
func TestFallbacksProbeMode(t *testing.T) {
	dir := filepath.Join(root, "e2e", "testdata", "fallbacks")
	r := runOcicaps(t, "--config", writeConfig(t, []string{zoo.NameDistribution}, nil), "--features", dir, "--check", "check.test.fallbacks")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	reg := registry(t, r.run, zoo.NameDistribution)
	if len(reg.Capabilities) != 1 || reg.Capabilities[0].ID != "fb-referrers" || reg.Capabilities[0].Status != results.Unsupported {
		t.Fatalf("probe mode runs %+v, want fb-referrers unsupported alone", reg.Capabilities)
	}
	want := []results.Fallback{
		{Capability: "fb-referrers-tag", Check: "check.test.fallbacks", Status: results.NotRun, Hint: "needs --verify"},
		fbNotRun,
	}
	if got := reg.Capabilities[0].Fallbacks; !reflect.DeepEqual(got, want) {
		t.Errorf("fallbacks:\n got %+v\nwant %+v", got, want)
	}
	w := "  zoo-distribution: fb-referrers: no — fallback fb-referrers-tag not run: needs --verify; fallback fb-unselected not run: select --check check.test.fallbacks-other\n"
	if !strings.Contains(r.stdout, w) {
		t.Errorf("console lacks %q:\n%s", w, r.stdout)
	}
}
