package html

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// pageRefs are a fleet's page's references other than #anchors: each must
// be a per-registry page next to it (or, from one, the fleet's page), with
// no scheme and no host, so that the report stays offline.
var localPage = regexp.MustCompile(`^(registries/[A-Za-z0-9._-]+\.html|\.\./report\.html)(#[A-Za-z0-9-]+)?$`)

func checkLocal(t *testing.T, page string) []string {
	t.Helper()
	var pages []string
	for _, ref := range externalRefs(page) {
		v, ok := strings.CutPrefix(ref, "reference out of the page: href=")
		v = strings.Trim(v, `"`)
		if !ok || !localPage.MatchString(v) {
			t.Error(ref)
			continue
		}
		pages = append(pages, v)
	}
	return pages
}

// A fleet's report.html: one short row per registry, registries failing
// the run first, no evidence panel in it; each registry's name leads to
// its page in registries/, which holds its row and every panel with the
// exchanges. Nothing refers out of the folder.
func TestFleetPages(t *testing.T) {
	run := resultstest.Scale(resultstest.Sample(), InlineLimit+50)
	dir := t.TempDir()
	stale := filepath.Join(dir, RegistriesDir, "gone.html")
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte(`<!DOCTYPE html><meta name="generator" content="ocicaps v0.1.0">old`), 0o644)
	// A page of the user's in the same folder is not ocicaps' to remove.
	theirs := filepath.Join(dir, RegistriesDir, "theirs.html")
	os.WriteFile(theirs, []byte("<p>my notes</p>"), 0o644)
	if err := Write(filepath.Join(dir, "report.html"), run); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	if strings.Contains(page, `class="panel"`) {
		t.Error("a fleet's page holds evidence panels")
	}
	rows := regexp.MustCompile(`<tr class="row-(\w+)"><th scope="row"><a href="([^"]+)">`).FindAllStringSubmatch(page, -1)
	if len(rows) != len(run.Registries) {
		t.Fatalf("%d rows, want %d", len(rows), len(run.Registries))
	}
	failing := 0
	for _, r := range run.Registries {
		if r.Severity.FailsAt(run.FailOn) {
			failing++
		}
	}
	if failing == 0 || failing == len(rows) {
		t.Fatalf("the sample must have failing and other registries (%d failing)", failing)
	}
	for i, r := range rows {
		if fails := results.Severity(r[1]).FailsAt(run.FailOn); fails != (i < failing) {
			t.Errorf("row %d (%s, %s): failing rows do not come first", i, r[2], r[1])
		}
	}
	linked := map[string]bool{}
	for _, p := range checkLocal(t, page) {
		linked[strings.SplitN(p, "#", 2)[0]] = true
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the page of an earlier run is still there (%v)", err)
	}
	if _, err := os.Stat(theirs); err != nil {
		t.Errorf("a page ocicaps did not write was removed (%v)", err)
	}
	// Each missing capability counts every registry that lacks it, not
	// only the ones listed before the cut.
	for _, m := range regexp.MustCompile(`Unsupported on (\d+) registries: ((?:<a [^>]+>[^<]+</a>(?:, )?)+)(?: and (\d+) more)?`).FindAllStringSubmatch(page, -1) {
		listed := strings.Count(m[2], "<a ")
		more, _ := strconv.Atoi(m[3])
		if total, _ := strconv.Atoi(m[1]); total != listed+more {
			t.Errorf("unsupported on %d registries, but %d listed and %d more", total, listed, more)
		}
	}
	for i, name := range pageNames(run) {
		if !linked[name] {
			t.Errorf("%s is not linked from report.html", name)
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		reg := string(data)
		checkLocal(t, reg)
		want := 0
		for _, c := range run.Registries[i].Capabilities {
			want += len(c.Exchanges)
		}
		if got := strings.Count(reg, "<td class=\"mono\">"); got < want {
			t.Errorf("%s shows %d exchanges, the registry has %d", name, got, want)
		}
		if n := strings.Count(reg, `class="panel"`); n != len(run.Registries[i].Capabilities) {
			t.Errorf("%s: %d panels for %d capabilities", name, n, len(run.Registries[i].Capabilities))
		}
	}
}

// A small run is one page, as before: no registries/ folder, and an
// earlier fleet's pages are removed.
func TestSmallRunIsOnePage(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, RegistriesDir), 0o755)
	os.WriteFile(filepath.Join(dir, RegistriesDir, "old.html"), []byte(`<!DOCTYPE html><meta name="generator" content="ocicaps v0.1.0">old`), 0o644)
	if err := Write(filepath.Join(dir, "report.html"), resultstest.Sample()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, RegistriesDir)); !os.IsNotExist(err) {
		t.Errorf("registries/ still there after a small run (%v)", err)
	}
}

// A fleet of 10,000 registries makes a page under SizeLimitFleet, with
// every row.
func TestTenThousandRegistries(t *testing.T) {
	run := resultstest.Scale(resultstest.Sample(), 10000)
	var buf bytes.Buffer
	if err := Encode(&buf, run); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > SizeLimitFleet {
		t.Errorf("10,000 registries: %d bytes, over the stated %d", buf.Len(), SizeLimitFleet)
	}
	if n := strings.Count(buf.String(), `<tr class="row-`); n != 10000 {
		t.Errorf("%d rows, want 10000", n)
	}
	t.Logf("report.html for 10,000 registries: %d bytes", buf.Len())
}
