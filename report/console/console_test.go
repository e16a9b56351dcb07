package console

import (
	"errors"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

func capability(id string, st results.Status, reason string) results.Capability {
	return results.Capability{ID: id, Status: st, Reason: reason, SeverityWhenMissing: results.Info}
}

func sampleRun() *results.Run {
	dist := results.Registry{
		Name: "distribution",
		Capabilities: []results.Capability{
			capability("distribution-version", results.Supported, ""),
			capability("referrers", results.Unsupported, "answered 404 without an OCI index"),
			capability("chunked-upload", results.Supported, ""),
			capability("cross-repo-mount", results.Supported, ""),
			capability("delete", results.Supported, ""),
		},
		DistributionVersion: "registry/2.0",
	}
	dist.Capabilities[1].SeverityWhenMissing = results.Warn
	results.Summarize(&dist)

	// Runs fewer capabilities, one the first registry lacks, and carries
	// hostile text: a newline and an ANSI escape must not reach the terminal.
	ola := results.Registry{
		Name: "olareg-mem",
		Capabilities: []results.Capability{
			capability("referrers", results.Supported, ""),
			capability("delete", results.Error, "connection refused\n\x1b[31mred\x1b[0m"),
			capability("tag-list", "weird", ""),
		},
		Leftovers: []results.Leftover{{What: "upload session", URL: "http://127.0.0.1:5001/v2/u/1", Reason: "DELETE answered 405"}},
	}
	results.Summarize(&ola)
	return &results.Run{Incomplete: true, Registries: []results.Registry{dist, ola, {Name: "never-ran"}}}
}

func TestWriteMatrixGolden(t *testing.T) {
	var b strings.Builder
	if err := WriteMatrix(&b, sampleRun()); err != nil {
		t.Fatal(err)
	}
	want := `#  registry      score  severity
1  distribution  4/5    warn
2  olareg-mem    1/3    fail
3  never-ran     0/0    -

capability              1    2      3
(no check)
  distribution-version  yes  -      -
  referrers             no   yes    -
  chunked-upload        yes  -      -
  cross-repo-mount      yes  -      -
  delete                yes  ERROR  -
  tag-list              -    ERROR  -

  distribution: referrers: unsupported: answered 404 without an OCI index
  distribution: tag-list: not run
  olareg-mem: distribution-version: not run
  olareg-mem: chunked-upload: not run
  olareg-mem: cross-repo-mount: not run
  olareg-mem: delete: error: connection refused  [31mred [0m
  olareg-mem: tag-list: weird
  olareg-mem: leftover: upload session http://127.0.0.1:5001/v2/u/1: DELETE answered 405
  never-ran: no capability run

distribution versions:
  distribution: registry/2.0

run incomplete: interrupted before every registry finished
`
	if got := b.String(); got != want {
		t.Errorf("matrix mismatch\n--- got ---\n%s--- want ---\n%s", got, want)
	}
	if strings.ContainsRune(b.String(), '\x1b') {
		t.Error("escape character reached the output")
	}
}

func TestWriteMatrixAllSupported(t *testing.T) {
	reg := results.Registry{Name: "r", Capabilities: []results.Capability{capability("referrers", results.Supported, "")}}
	results.Summarize(&reg)
	var b strings.Builder
	if err := WriteMatrix(&b, &results.Run{Registries: []results.Registry{reg}}); err != nil {
		t.Fatal(err)
	}
	want := "registry  score  severity\nr         1/1    pass\n\ncapability   verdict\n(no check)\n  referrers  yes\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestWriteMatrixEmpty(t *testing.T) {
	var b strings.Builder
	if err := WriteMatrix(&b, &results.Run{}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "no registries in this run\n" {
		t.Errorf("got %q", b.String())
	}
	if err := WriteMatrix(&b, nil); err == nil {
		t.Error("nil run: no error")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestWriteMatrixWriteError(t *testing.T) {
	err := WriteMatrix(failWriter{}, sampleRun())
	if err == nil || !strings.Contains(err.Error(), "broken pipe") {
		t.Errorf("err = %v", err)
	}
}

func TestInvalidUTF8(t *testing.T) {
	run := &results.Run{Registries: []results.Registry{{Name: "bad\xffname", Capabilities: []results.Capability{capability("x", results.Supported, "")}}}}
	var b strings.Builder
	if err := WriteMatrix(&b, run); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "bad\uFFFDname  0/0") {
		t.Errorf("got %q", b.String())
	}
}

func TestTrend(t *testing.T) {
	run := resultstest.Sample()
	var b strings.Builder
	if err := WriteMatrix(&b, run); err != nil {
		t.Fatal(err)
	}
	want := "\nchanges since previous/results.json (run of 2026-11-26 09:30 UTC): 1 lost, 0 gained\n" +
		"  zoo-distribution: lost referrers (supported -> unsupported: referrers API answered 404 without an OCI index); score 5/5 -> 4/5; severity pass -> warn\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("no trend section %q in:\n%s", want, b.String())
	}
	if !strings.Contains(b.String(), "  retired: removed (only in the baseline)\n") || !strings.Contains(b.String(), ": added (not in the baseline)\n") {
		t.Errorf("added/removed missing:\n%s", b.String())
	}
	if _, section, _ := strings.Cut(b.String(), "changes since"); strings.Contains(section, "all-good") {
		t.Errorf("an unchanged registry is listed:\n%s", b.String())
	}
	run.Trend = &results.Trend{Baseline: results.Baseline{File: "b.json"}}
	b.Reset()
	WriteMatrix(&b, run)
	if !strings.Contains(b.String(), "changes since b.json: 0 lost, 0 gained\n  no changes\n") {
		t.Errorf("no-change trend:\n%s", b.String())
	}
}

// refused is a registry whose every request went unanswered, as a refused
// port gives: each capability in error with an exchange that got no status.
func refused(name string, answered bool) results.Registry {
	reg := results.Registry{Name: name}
	for _, id := range []string{"distribution-version", "referrers", "delete"} {
		x := results.Exchange{Method: "GET", URL: "http://127.0.0.1:1/v2/" + id, Attempts: 4,
			Error: "dial tcp 127.0.0.1:1: connect: connection refused (after 4 attempts)"}
		if answered && id == "delete" {
			x = results.Exchange{Method: "GET", URL: "http://127.0.0.1:1/v2/", Status: 503, Attempts: 4}
		}
		c := capability(id, results.Error, "GET "+x.URL+": "+x.Error)
		c.Exchanges = []results.Exchange{x}
		reg.Capabilities = append(reg.Capabilities, c)
	}
	results.Summarize(&reg)
	return reg
}

func TestUnreachableRegistryIsOneLine(t *testing.T) {
	run := &results.Run{Registries: []results.Registry{refused("down", false), refused("flaky", true)}}
	var b strings.Builder
	if err := WriteMatrix(&b, run); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, "  down: "); n != 1 {
		t.Errorf("%d detail lines for the refused registry, want 1:\n%s", n, out)
	}
	want := "  down: cannot be reached (3 capabilities in error): GET http://127.0.0.1:1/v2/distribution-version: dial tcp"
	if !strings.Contains(out, want) {
		t.Errorf("no line %q in:\n%s", want, out)
	}
	// One answer (a 503) means the capabilities may say different things:
	// each keeps its line.
	if n := strings.Count(out, "  flaky: "); n != 3 {
		t.Errorf("%d detail lines for the registry that answered once, want 3:\n%s", n, out)
	}
}

func TestWriteReasons(t *testing.T) {
	warn := results.Registry{Name: "old", Capabilities: []results.Capability{
		capability("referrers", results.Unsupported, "answered 404 without an OCI index"),
		capability("delete", results.Unsupported, "answered 405"),
	}}
	warn.Capabilities[0].SeverityWhenMissing = results.Warn
	results.Summarize(&warn)
	run := &results.Run{Registries: []results.Registry{refused("down", false), warn}}
	cases := map[results.Severity]string{
		results.Fail: "  down: cannot be reached (3 capabilities in error): GET http://127.0.0.1:1/v2/distribution-version: dial tcp 127.0.0.1:1: connect: connection refused (after 4 attempts)\n",
		results.Warn: "  down: cannot be reached (3 capabilities in error): GET http://127.0.0.1:1/v2/distribution-version: dial tcp 127.0.0.1:1: connect: connection refused (after 4 attempts)\n" +
			"  old: referrers: unsupported: answered 404 without an OCI index\n",
	}
	for failOn, want := range cases {
		run.FailOn = failOn
		var b strings.Builder
		if err := WriteReasons(&b, run); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("fail-on %s: got\n%s\nwant\n%s", failOn, b.String(), want)
		}
	}
}

// A deviation shows in its cell and on a line of its own in the normal
// output; the quiet output lists it only when --fail-on info makes it fail
// the run.
func TestDeviations(t *testing.T) {
	run := resultstest.Sample()
	var b strings.Builder
	if err := WriteMatrix(&b, run); err != nil {
		t.Fatal(err)
	}
	line := `  zoo-distribution: chunked-upload: deviates from "Pushing a blob in chunks": the 201 Created closing an upload session MUST carry Location: <blob-location>; the registry answered 201 Created without it (PUT http://127.0.0.1:5001/v2/library/alpine/blobs/uploads/7?digest=sha256:abc: 201)`
	if !strings.Contains(b.String(), "yes (1 deviation)") || !strings.Contains(b.String(), line+"\n") {
		t.Errorf("matrix lacks the deviation:\n%s", b.String())
	}
	for _, failOn := range []results.Severity{results.Fail, results.Warn, results.Info} {
		run.FailOn = failOn
		var q strings.Builder
		if err := WriteReasons(&q, run); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(q.String(), line); got != (failOn == results.Info) {
			t.Errorf("fail-on %s: deviation listed %v:\n%s", failOn, got, q.String())
		}
	}
}
