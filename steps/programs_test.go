package steps

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/program"
	"github.com/ocicaps/ocicaps/results"
)

func clientState(t *testing.T) *state {
	t.Helper()
	st := newState(&Target{Scratch: "s", Programs: &Programs{Vars: map[string]string{"host": "127.0.0.1:5000"}}})
	t.Cleanup(st.closeFiles)
	return st
}

// Files are written inside the scenario's folder only, placeholders
// filled; the folder goes when the scenario ends.
func TestWriteFileStaysInItsFolder(t *testing.T) {
	st := clientState(t)
	dir, err := st.expand("{files}")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.writeFile(context.Background(), "chart/Chart.yaml", "name: {host}\n"); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "chart", "Chart.yaml")); err != nil || string(b) != "name: 127.0.0.1:5000\n" {
		t.Errorf("written: %q %v", b, err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "a/../../x", ""} {
		if err := st.writeFile(context.Background(), bad, "x"); err == nil {
			t.Errorf("%q was written", bad)
		}
	}
	root := st.dir
	st.closeFiles()
	if _, err := os.Stat(root); !os.IsNotExist(err) {
		t.Errorf("the folder is still there: %v", err)
	}
}

// The conditions about a run judge its exit status and output; the
// output saved is the first group.
func TestProgramConditionsAndSavedOutput(t *testing.T) {
	st := clientState(t)
	st.ran(results.Exchange{}, &program.Result{Argv: []string{"oras"}, ExitCode: 1, Output: []byte("Error: denied\nDigest: sha256:abc\n")})
	for text, want := range map[string]bool{
		`the program exits 1`:                   true,
		`the program exits 0`:                   false,
		`the program fails`:                     true,
		`the output contains "denied"`:          true,
		`the output contains "{host}"`:          false,
		`the output matches "(?m)^Digest: sha"`: true,
		`the output matches "^Digest"`:          false,
	} {
		if ok, _, err := judge(st, text); ok != want || err != nil {
			t.Errorf("%s: %v %v, want %v", text, ok, err, want)
		}
	}
	if err := st.saveOutputMatching(context.Background(), `Digest: (sha256:\w+)`, "d"); err != nil || st.vars["d"] != "sha256:abc" {
		t.Errorf("saved %q %v", st.vars["d"], err)
	}
	if err := st.saveOutputMatching(context.Background(), `Pushed`, "p"); err == nil {
		t.Error("output that does not match was saved")
	}
	st.answered(results.Exchange{}, nil)
	if _, _, err := judge(st, `the program exits 0`); err == nil {
		t.Error("a program condition judged no run")
	}
}

// A client that is on neither the clients: list nor PATH stops the
// scenario: the workflow stays a prediction, saying why.
func TestRunOfAClientNotInstalled(t *testing.T) {
	st := clientState(t)
	st.target.Programs.Driver = &program.Driver{}
	st.target.Programs.LookPath = func(string) (string, error) { return "", errors.New("not found") }
	err := st.runProgram(context.Background(), "oras version")
	var ni *NotInstalledError
	if !errors.As(err, &ni) || !strings.Contains(err.Error(), "oras is not installed") {
		t.Fatalf("error %v", err)
	}
	if w := st.decideWorkflow(); w.Outcome != "" || w.Confirmed || !strings.Contains(w.Reason, "not on PATH") {
		t.Errorf("outcome %+v", w)
	}
	st.target.Programs.Paths = map[string]string{"oras": filepath.Join(t.TempDir(), "nothing")}
	if _, err := st.target.Programs.Resolve("oras"); !errors.As(err, &ni) || !strings.Contains(err.Error(), "clients: entry") {
		t.Errorf("a configured path that is no program: %v", err)
	}
}

// The verdict steps: fails and unsafe end the scenario with their
// reason; a fallback is noted and the scenario goes on; an error is
// unknown; nothing fired is works.
func TestWorkflowVerdicts(t *testing.T) {
	run := func(st *state) {
		res := &program.Result{Argv: []string{"oras"}, ExitCode: 2, Output: []byte("boom")}
		st.ran(res.Exchange(nil), res)
	}
	st := clientState(t)
	run(st)
	if err := st.workflowFallsBackWhen(context.Background(), "the program fails", "fell back"); err != nil {
		t.Fatal(err)
	}
	if w := st.decideWorkflow(); w.Outcome != results.WorksWithFallback || w.Reason != "fell back" {
		t.Errorf("fallback: %+v", w)
	}
	if err := st.workflowFailsUnless(context.Background(), "the program exits 0", "ended with {exit}: {output}"); err == nil {
		t.Fatal("fails did not end the scenario")
	}
	if w := st.decideWorkflow(); w.Outcome != results.Fails || !w.Confirmed || w.Reason != "ended with 2: boom" {
		t.Errorf("fails: %+v", w)
	}
	st = clientState(t)
	run(st)
	if err := st.workflowUnsafeWhen(context.Background(), "the program exits 2", "lost it"); err == nil {
		t.Fatal("unsafe did not end the scenario")
	}
	if w := st.decideWorkflow(); w.Outcome != results.Unsafe {
		t.Errorf("unsafe: %+v", w)
	}
	st = clientState(t)
	st.fail(errors.New("GET /v2/ answered 503"))
	if w := st.decideWorkflow(); w.Outcome != results.Unknown || w.Confirmed {
		t.Errorf("error: %+v", w)
	}
	st = clientState(t)
	run(st)
	if w := st.decideWorkflow(); w.Outcome != results.Works || !w.Confirmed {
		t.Errorf("nothing fired: %+v", w)
	}
}

// A workflow that ran no client, or that a capability's outcome step
// decided, is unknown: neither shows what the client does.
func TestWorkflowUnknownWithoutAClientRun(t *testing.T) {
	st := clientState(t)
	st.answered(results.Exchange{}, nil)
	if w := st.decideWorkflow(); w.Outcome != results.Unknown || w.Confirmed || w.Reason != "the workflow ran no client" {
		t.Errorf("no client run: %+v", w)
	}
	st = clientState(t)
	res := &program.Result{Argv: []string{"oras"}}
	st.ran(res.Exchange(nil), res)
	st.unsupported = "the registry answered 404"
	if w := st.decideWorkflow(); w.Outcome != results.Unknown || w.Confirmed {
		t.Errorf("unsupported: %+v", w)
	}
	st = clientState(t)
	st.ran(res.Exchange(nil), res)
	st.deviations = append(st.deviations, results.Deviation{Section: "Pulling manifests"})
	if w := st.decideWorkflow(); w.Outcome != results.Unknown || w.Confirmed || !strings.Contains(w.Reason, "Pulling manifests") {
		t.Errorf("deviation: %+v", w)
	}
}

// A client may delete what the scenario pushed: after its run, a 404 is
// an answer, not a read that lags the write (no wait of consistency.wait).
func TestRunForgetsTheWrites(t *testing.T) {
	truePath, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true program")
	}
	st := clientState(t)
	st.target.Programs.Driver = &program.Driver{Scrubber: client.CredentialScrubber()}
	st.target.Programs.Paths = map[string]string{"true": truePath}
	st.target.writes.add("sha256:x", "/v2/r/manifests/t")
	if err := st.runProgram(context.Background(), "true"); err != nil {
		t.Fatal(err)
	}
	if _, ok := st.target.writes.when("/v2/r/manifests/t"); ok {
		t.Error("the write is still remembered after a client's run")
	}
	if st.run == nil || st.run.ExitCode != 0 || st.exchanges[len(st.exchanges)-1].Command.Argv[0] != "true" {
		t.Errorf("the run: %+v", st.exchanges)
	}
}
