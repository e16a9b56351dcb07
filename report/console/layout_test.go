package console

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ocicaps/ocicaps/results"
)

// wideRun is a run of n registries with long names and 40 capabilities in
// four check areas, as --check all against a fleet gives.
func wideRun(n int) *results.Run {
	run := &results.Run{}
	for r := 0; r < n; r++ {
		reg := results.Registry{Name: fmt.Sprintf("registry-with-a-rather-long-name-%02d.example.com", r)}
		for i := 0; i < 40; i++ {
			c := capability(fmt.Sprintf("capability-number-%02d", i), results.Supported, "")
			c.Check = fmt.Sprintf("check.area.%d", i/10)
			if (i+r)%7 == 0 {
				c.Status, c.Reason = results.Unsupported, "answered 404"
			}
			if i == 5 {
				c.Deviations = []results.Deviation{{Section: "s", Rule: "r"}}
			}
			reg.Capabilities = append(reg.Capabilities, c)
		}
		results.Summarize(&reg)
		run.Registries = append(run.Registries, reg)
	}
	return run
}

// No line of the legend or the matrix is wider than the width, at any
// number of registries, and every registry's every verdict is shown.
func TestMatrixFitsTheWidth(t *testing.T) {
	for _, n := range []int{1, 2, 5, 12} {
		for _, width := range []int{DefaultWidth, 80, 60} {
			var b strings.Builder
			if err := WriteMatrixWidth(&b, wideRun(n), width); err != nil {
				t.Fatal(err)
			}
			matrix, _, _ := strings.Cut(b.String(), "\n\n  ")
			for _, l := range strings.Split(matrix, "\n") {
				if w := utf8.RuneCountInString(l); w > width {
					t.Errorf("%d registries, width %d: a line of %d: %q", n, width, w, l)
				}
			}
			if got, want := strings.Count(matrix, "check.area.0\n"), strings.Count(matrix, "\ncapability "); got != want || got == 0 {
				t.Errorf("%d registries, width %d: %d check titles for %d blocks", n, width, got, want)
			}
			if got := strings.Count(matrix, "capability-number-05  "); got == 0 {
				t.Errorf("%d registries, width %d: capability rows missing:\n%s", n, width, matrix)
			}
			cells := strings.Count(matrix, " yes") + strings.Count(matrix, " no")
			if cells != n*40 {
				t.Errorf("%d registries, width %d: %d cells, want %d:\n%s", n, width, cells, n*40, matrix)
			}
		}
	}
}

// Capabilities are rows under the title of their check area.
func TestMatrixGroupedByCheck(t *testing.T) {
	var b strings.Builder
	if err := WriteMatrix(&b, wideRun(1)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for i := 0; i < 4; i++ {
		title := fmt.Sprintf("\ncheck.area.%d\n", i)
		at := strings.Index(out, title)
		first := strings.Index(out, fmt.Sprintf("\n  capability-number-%02d ", i*10))
		if at < 0 || first != at+len(title)-1 {
			t.Errorf("check.area.%d is not the title over its capabilities:\n%s", i, out)
		}
	}
	if !strings.Contains(out, "  capability-number-05  yes (1 deviation)\n") {
		t.Errorf("one registry's capabilities are not rows with their verdict:\n%s", out)
	}
}

// verifyRefused is a verify-mode registry that cannot be reached: the
// preflight got no answer, so the verify scenarios were not attempted and
// the probe scenarios got no answer either.
func verifyRefused() results.Registry {
	reg := results.Registry{Name: "down", Warnings: []string{"verify mode could not open an upload session in its scratch repository x: connection refused"}}
	for i := 0; i < 40; i++ {
		c := capability(fmt.Sprintf("c%02d", i), results.Error, "not attempted: verify mode could not write to its scratch repository (see the registry's warning)")
		if i%10 == 0 {
			c.Reason = fmt.Sprintf("GET http://127.0.0.1:1/v2/c%02d: connection refused (after 4 attempts)", i)
			c.Exchanges = []results.Exchange{{Method: "GET", URL: "http://127.0.0.1:1/v2/", Error: "connection refused"}}
		}
		reg.Capabilities = append(reg.Capabilities, c)
	}
	results.Summarize(&reg)
	return reg
}

// One line per cause: an unreachable registry in verify mode is one line
// (and its warning), not 40 lines of "not attempted"; so is the quiet and
// progress output's reason.
func TestOneLinePerCause(t *testing.T) {
	run := &results.Run{Registries: []results.Registry{verifyRefused()}}
	var b strings.Builder
	if err := WriteMatrix(&b, run); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "  down: "); n != 2 {
		t.Errorf("%d detail lines, want the cause and the warning:\n%s", n, b.String())
	}
	if !strings.Contains(b.String(), "  down: cannot be reached (40 capabilities in error): GET http://127.0.0.1:1/v2/: connection refused") {
		t.Errorf("the cause is not said:\n%s", b.String())
	}
	var q strings.Builder
	if err := WriteReasons(&q, run); err != nil {
		t.Fatal(err)
	}
	if strings.Count(q.String(), "\n") != 1 || !strings.Contains(q.String(), "connection refused") {
		t.Errorf("reasons:\n%s", q.String())
	}
}

// Capabilities refused for one reason share one line naming them.
func TestSharedCauseIsOneLine(t *testing.T) {
	reg := results.Registry{Name: "r"}
	for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
		reg.Capabilities = append(reg.Capabilities, capability(id, results.Error, "POST answered 403: push denied"))
	}
	reg.Capabilities = append(reg.Capabilities, capability("g", results.Unsupported, "answered 404"))
	results.Summarize(&reg)
	var b strings.Builder
	if err := WriteMatrix(&b, &results.Run{Registries: []results.Registry{reg}}); err != nil {
		t.Fatal(err)
	}
	want := "  r: 6 capabilities (a, b, c, d and 2 more): error: POST answered 403: push denied\n  r: g: unsupported: answered 404\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("no lines %q in:\n%s", want, b.String())
	}
}

// Leftovers of one cause are one line with their count and the first.
func TestLeftoversOneLinePerCause(t *testing.T) {
	reg := results.Registry{Name: "r", Capabilities: []results.Capability{capability("a", results.Supported, "")}}
	for i := 0; i < 5; i++ {
		reg.Leftovers = append(reg.Leftovers, results.Leftover{What: "blob", URL: fmt.Sprintf("http://h/v2/x/blobs/%d", i), Reason: "DELETE answered 405"})
	}
	reg.Leftovers = append(reg.Leftovers, results.Leftover{What: "upload session", URL: "http://h/v2/x/blobs/uploads/u", Reason: "DELETE answered 500"})
	var b strings.Builder
	if err := WriteMatrix(&b, &results.Run{Registries: []results.Registry{reg}}); err != nil {
		t.Fatal(err)
	}
	want := "  r: 5 leftovers: DELETE answered 405 (the first: blob http://h/v2/x/blobs/0; every one in results.json and report.html)\n" +
		"  r: leftover: upload session http://h/v2/x/blobs/uploads/u: DELETE answered 500\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("no lines %q in:\n%s", want, b.String())
	}
}
