package junit

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gojunit "github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestClientsValidate: a run with client readiness validates against the
// Jenkins schema, the registries' testsuites come first and read as in a
// run without clients, and one "clients [<registry>]" testsuite follows
// per registry with clients.
func TestClientsValidate(t *testing.T) {
	run := resultstest.WithClients()
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := Write(path, run); err != nil {
		t.Fatal(err)
	}
	validate(t, path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got gojunit.Testsuites
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	without := Build(resultstest.Sample())
	if len(got.Suites) != 2*len(run.Registries) {
		t.Fatalf("%d testsuites, want %d", len(got.Suites), 2*len(run.Registries))
	}
	for i := range run.Registries {
		if got.Suites[i].Name != without.Suites[i].Name || got.Suites[i].ID != i || got.Suites[i].Tests != without.Suites[i].Tests {
			t.Errorf("registry suite %d changed with clients: %s id %d", i, got.Suites[i].Name, got.Suites[i].ID)
		}
	}
	names := map[string]bool{}
	for _, s := range got.Suites {
		for _, tc := range s.Testcases {
			if names[tc.Name] {
				t.Errorf("testcase %q twice", tc.Name)
			}
			names[tc.Name] = true
		}
	}
	zoo := got.Suites[len(run.Registries)]
	if zoo.Name != "clients [zoo-distribution]" || zoo.ID != 3 {
		t.Errorf("clients suite %q id %d", zoo.Name, zoo.ID)
	}
	// From the model: failures = unsafe (2) + the mismatch (1); errors =
	// the run stopped at its time limit; skipped = confirmed fails (1) +
	// predictions (4).
	if zoo.Tests != 11 || zoo.Failures != 3 || zoo.Errors != 1 || zoo.Skipped != 5 {
		t.Errorf("counts tests=%d failures=%d errors=%d skipped=%d, want 11 3 1 5", zoo.Tests, zoo.Failures, zoo.Errors, zoo.Skipped)
	}
	if !hasProperty(zoo, "readiness", "crane delete-digest: fails (confirmed) MISMATCH: predicted works") ||
		!hasProperty(zoo, "clientVersion", "oras Version: 1.3.6") || !hasProperty(zoo, "clientVersion", "cosign v2.6.5") {
		t.Errorf("properties: %+v", *zoo.Properties)
	}
}

// TestClientMapping: each outcome and basis maps as docs/reports.md says.
func TestClientMapping(t *testing.T) {
	ran := []results.Exchange{{Command: &results.Command{Argv: []string{"c"}}}}
	cases := []struct {
		name string
		w    results.ClientWorkflow
		want string // pass, skipped, failure:<type>, error
		msg  string
	}{
		{"works", results.ClientWorkflow{Outcome: results.Works, Predicted: results.Works, Confirmed: true}, "pass", ""},
		{"fallback", results.ClientWorkflow{Outcome: results.WorksWithFallback, Predicted: results.WorksWithFallback, Confirmed: true, Settings: "--s"}, "pass", ""},
		{"fails", results.ClientWorkflow{Outcome: results.Fails, Predicted: results.Fails, Confirmed: true, Advice: "keep it elsewhere"}, "skipped", "fails (confirmed): keep it elsewhere"},
		{"unsafe", results.ClientWorkflow{Outcome: results.Unsafe, Predicted: results.Unsafe, Confirmed: true, Advice: "do not"}, "failure:unsafe", "unsafe (the client loses or damages data on this registry): do not"},
		{"mismatch", results.ClientWorkflow{Outcome: results.Works, Predicted: results.Fails, Confirmed: true, Mismatch: true, Reason: "r"}, "failure:mismatch", "MISMATCH: predicted fails; the real client's outcome is works: r"},
		{"unsafe mismatch", results.ClientWorkflow{Outcome: results.Unsafe, Predicted: results.Works, Confirmed: true, Mismatch: true, Advice: "do not"}, "failure:unsafe", "unsafe (the client loses or damages data on this registry): do not; MISMATCH: predicted works"},
		{"predicted unsafe", results.ClientWorkflow{Outcome: results.Unsafe, Predicted: results.Unsafe, Advice: "do not"}, "skipped", "unsafe (predicted, not run by the real client): do not"},
		{"predicted works", results.ClientWorkflow{Outcome: results.Works, Predicted: results.Works}, "skipped", "works (predicted, not run by the real client): no settings needed"},
		{"not judged", results.ClientWorkflow{Outcome: results.Unknown, Predicted: results.Unknown, Reason: "delete not in the run"}, "skipped", "unknown (predicted, not run by the real client): delete not in the run"},
		{"confirmed undecided", results.ClientWorkflow{Outcome: results.Unknown, Predicted: results.Works, Confirmed: true, Reason: "5xx", Evidence: ran}, "error", "the client's run could not decide: 5xx"},
		{"run undecided", results.ClientWorkflow{Outcome: results.Unknown, Predicted: results.Works, Reason: "stopped", Evidence: ran}, "error", "the client's run could not decide: stopped"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tc := clientCase(results.Registry{Name: "r"}, c.w)
			got, msg := "pass", ""
			switch {
			case tc.Failure != nil:
				got, msg = "failure:"+tc.Failure.Type, tc.Failure.Message
			case tc.Error != nil:
				got, msg = "error", tc.Error.Message
			case tc.Skipped != nil:
				got, msg = "skipped", tc.Skipped.Message
			}
			if got != c.want || msg != c.msg {
				t.Errorf("%s %q, want %s %q", got, msg, c.want, c.msg)
			}
			if !strings.HasPrefix(tc.SystemOut.Data, "outcome: "+string(c.w.Outcome)+"\nbasis: ") {
				t.Errorf("system-out: %q", tc.SystemOut.Data)
			}
		})
	}
}
