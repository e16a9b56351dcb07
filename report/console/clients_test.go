package console

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

func matrix(t *testing.T, run *results.Run, width int) string {
	t.Helper()
	var b strings.Builder
	if err := WriteMatrixWidth(&b, run, width); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestNoClientsNoReadiness: a run without clients prints no readiness
// section at all (the golden console.txt pins the rest).
func TestNoClientsNoReadiness(t *testing.T) {
	if out := matrix(t, resultstest.Sample(), DefaultWidth); strings.Contains(out, "client readiness") {
		t.Errorf("readiness printed for a run without clients:\n%s", out)
	}
}

// TestReadinessRows: one row per workflow with its outcome, basis and what
// to do; unsafe shouts; a mismatch names the workflow file; egress is
// said; hostile text stays on its line.
func TestReadinessRows(t *testing.T) {
	run := resultstest.WithClients()
	out := matrix(t, run, DefaultWidth)
	for _, want := range []string{
		"client readiness on zoo-distribution (6 confirmed, 5 predicted):",
		"  oras      attach                works-with-fallback  confirmed                             use `oras attach --distribution-spec v1.1-referrers-tag`",
		"  oras      attach-referrers-api  UNSAFE               confirmed                             do not use `oras attach",
		"  crane     delete-digest         fails                confirmed; MISMATCH: predicted works  delete by tag",
		"  crane delete-digest: MISMATCH: predicted works (delete supported) but crane delete exited 0 and the tag still serves the manifest; fix features/clients/crane.feature:61\n",
		"  cosign verify: tried to reach CONNECT tuf-repo-cdn.sigstore.dev:443",
		"  helm      push                  works                predicted                             no settings needed",
		"  cosign    sign-oci-1-1          works-with-fallback  predicted                             use `--registry-referrers-mode=oci-1-1`",
		"  crane     copy                  unknown              not confirmed; predicted works        crane was stopped at its time limit",
		"client readiness on all-good (2 predicted):",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.ContainsAny(out, "\x1b\x00\x07") {
		t.Error("a control character reached the terminal")
	}
	// The readiness comes after the details and before the versions.
	if i, j := strings.Index(out, "client readiness"), strings.Index(out, "distribution versions:"); i < 0 || j < i {
		t.Errorf("readiness at %d, versions at %d", i, j)
	}
}

// TestReadinessFleet: registries whose tables read the same share one,
// headed by their legend numbers, so a fleet of 60 prints 3 tables; the
// heading fits the width.
func TestReadinessFleet(t *testing.T) {
	run := resultstest.Scale(resultstest.WithClients(), 60)
	out := matrix(t, run, 100)
	if n := strings.Count(out, "\nclient readiness on "); n != 3 {
		t.Errorf("%d readiness tables for 60 registries of 3 kinds, want 3:\n%s", n, out)
	}
	want := "client readiness on 20 registries, the same on each (6 confirmed, 5 predicted):\n" +
		"  registries #1, #4, #7, #10, #13, #16, #19, #22, #25, #28, #31, #34, #37, #40, #43, #46, #49, #52,\n" +
		"  #55, #58\n" +
		"  client    workflow"
	if !strings.Contains(out, want) {
		t.Errorf("heading not found: %q", want)
	}
	few := matrix(t, resultstest.Scale(resultstest.WithClients(), 6), 100)
	want = "client readiness on 2 registries, the same on each (1 predicted):\n" +
		"  #2 refuses <b><script>alert(1)</script> & \"q\" 'a' [x](https://evil.example/) ![i](https://evil.ex…\n" +
		"  #5 refuses"
	if !strings.Contains(few, want) {
		t.Errorf("heading not found: %q\n%s", want, few)
	}
	for _, l := range strings.Split(out, "\n") {
		if n := utf8.RuneCountInString(l); n > 100 && !strings.HasPrefix(l, "  ") {
			t.Errorf("line of %d columns: %s", n, l)
		}
	}
}

func TestNumbers(t *testing.T) {
	for in, want := range map[string]string{"0": "#1", "0 1 2": "#1-3", "3 5 6 7 9": "#4, #6-8, #10"} {
		var regs []int
		for _, f := range strings.Fields(in) {
			var n int
			fmt.Sscan(f, &n)
			regs = append(regs, n)
		}
		if got := numbers(regs); got != want {
			t.Errorf("numbers(%v) = %q, want %q", regs, got, want)
		}
	}
}
