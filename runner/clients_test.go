package runner

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps"
	"github.com/ocicaps/ocicaps/suite"
)

// clientSuite loads testdata/clients: two capabilities (base: GET /v2/
// answers 200; absent: never), the workflows of fakeclient (testdata/
// fakeclient) and of a client nobody installed.
func clientSuite(t *testing.T) (*suite.Suite, suite.Selection) {
	t.Helper()
	s, problems := suite.Load(os.DirFS("testdata/clients"), "testdata/clients")
	problems = append(problems, s.Validate(steps.Check)...)
	problems = append(problems, s.ClientView().ValidateObservations(steps.CheckObservations)...)
	if len(problems) > 0 {
		t.Fatalf("the test suite has problems: %v", problems)
	}
	sel, err := s.Choose("@capability:base", "")
	if err != nil {
		t.Fatal(err)
	}
	return s, s.WithClients(sel)
}

func buildFakeClient(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "fakeclient")
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/fakeclient").CombinedOutput(); err != nil {
		t.Fatalf("building the fake client: %v\n%s", err, out)
	}
	return bin
}

// A client run against a real registry confirms or corrects each
// prediction: works, unsafe (it said it pushed; a direct GET finds
// nothing), fails, works-with-fallback, what it tried to reach through
// the proxy, unknown when a check cannot decide, and a client that is not
// installed leaves the prediction. What the clients pushed is deleted, and
// the capabilities, score and severity are those of a run without
// --clients.
func TestClientReadinessWithAFakeClient(t *testing.T) {
	insts := startZoo(t, zoo.Spec{Name: zoo.NameDistribution, Kind: zoo.KindDistribution, Delete: true})
	s, sel := clientSuite(t)
	if len(sel.Scenarios) != 2 {
		t.Fatalf("--clients should add the capability absent to base: %d scenarios", len(sel.Scenarios))
	}
	reg := fakeRegistry(insts[0].Spec.Name, insts[0].URL)
	reg.Mode, reg.ScratchRepository = config.ModeVerify, "ocicaps/clients-test"
	fake := buildFakeClient(t)
	opts := Options{Registries: []config.Registry{reg}, Suite: s, Scenarios: sel.Scenarios,
		Clients: true, ClientPaths: map[string]string{"fakeclient": fake}}
	run, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	r := run.Registries[0]
	got := map[string]results.ClientWorkflow{}
	for _, c := range r.Clients {
		got[c.Client+" "+c.Workflow] = c
	}
	want := []struct {
		key                 string
		predicted, outcome  results.Outcome
		confirmed, mismatch bool
		reason              string
	}{
		{"fakeclient push", results.Works, results.Works, true, false, "every check held after $ fakeclient push"},
		{"fakeclient lie", results.Works, results.Unsafe, true, true, "fix the workflow at fakeclient.feature:18"},
		{"fakeclient refused", results.Fails, results.Fails, true, false, "Error: denied"},
		{"fakeclient fallback", results.WorksWithFallback, results.WorksWithFallback, true, false, "fakeclient used its fallback"},
		// The sink refused the host the client needed: not the registry's doing.
		{"fakeclient egress", results.Works, results.Unknown, false, false, "fakeclient needed tuf.example.test:443, which the run does not allow"},
		{"fakeclient undecided", results.Works, results.Unknown, false, false, "the run could not decide"},
		{"missing-client anything", results.Works, results.Works, false, false, "not confirmed: missing-client is not installed"},
	}
	if len(r.Clients) != len(want) {
		t.Errorf("%d client workflows, want %d: %+v", len(r.Clients), len(want), r.Clients)
	}
	for _, w := range want {
		c, ok := got[w.key]
		switch {
		case !ok:
			t.Errorf("%s: missing", w.key)
		case c.Predicted != w.predicted || c.Outcome != w.outcome || c.Confirmed != w.confirmed || c.Mismatch != w.mismatch:
			t.Errorf("%s: predicted %s, outcome %s, confirmed %v, mismatch %v; want %s %s %v %v (%s)",
				w.key, c.Predicted, c.Outcome, c.Confirmed, c.Mismatch, w.predicted, w.outcome, w.confirmed, w.mismatch, c.Reason)
		case !strings.Contains(c.Reason, w.reason):
			t.Errorf("%s: reason %q lacks %q", w.key, c.Reason, w.reason)
		}
	}
	if c := got["fakeclient push"]; c.Version != "fakeclient 1.0.0" || !slices.ContainsFunc(c.Evidence, func(e results.Exchange) bool { return e.Command != nil }) {
		t.Errorf("push: version %q, evidence without the run: %+v", c.Version, c.Evidence)
	}
	if c := got["fakeclient fallback"]; c.Settings != "--fallback" || !slices.Equal(c.Via, []string{"base"}) {
		t.Errorf("fallback: settings %q via %q", c.Settings, c.Via)
	}
	if c := got["fakeclient refused"]; c.Advice != "do not use fakeclient here" || !slices.Equal(c.Via, []string{"absent"}) {
		t.Errorf("refused: advice %q via %q", c.Advice, c.Via)
	}
	if c := got["fakeclient egress"]; !slices.Equal(c.Egress, []string{"CONNECT tuf.example.test:443"}) {
		t.Errorf("egress: %q", c.Egress)
	}
	if c := got["missing-client anything"]; len(c.Evidence) != 0 {
		t.Errorf("a client not installed ran something: %+v", c.Evidence)
	}
	// Nothing of what the clients pushed is left: the registry says so.
	if len(r.Leftovers) != 0 {
		t.Errorf("leftovers: %+v", r.Leftovers)
	}
	for _, tag := range []string{"fake-push", "fake-fallback", "fake-lie"} {
		req, _ := http.NewRequest(http.MethodGet, insts[0].URL+"/v2/ocicaps/clients-test/manifests/"+tag, nil)
		req.Header.Set("Accept", "application/vnd.oci.image.manifest.v1+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET the %s tag after the run: %d, want 404", tag, resp.StatusCode)
		}
	}
	// The capabilities are as without --clients.
	opts.Clients = false
	plain, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	p := plain.Registries[0]
	if p.Score != r.Score || p.MaxScore != r.MaxScore || p.Severity != r.Severity || len(p.Clients) != 0 {
		t.Errorf("with --clients %d/%d %s, without %d/%d %s (%d clients)", r.Score, r.MaxScore, r.Severity, p.Score, p.MaxScore, p.Severity, len(p.Clients))
	}
	for i, c := range r.Capabilities {
		if c.ID != p.Capabilities[i].ID || c.Status != p.Capabilities[i].Status {
			t.Errorf("capability %s: %s with --clients, %s without", c.ID, c.Status, p.Capabilities[i].Status)
		}
	}
}

// Without verify mode nothing runs: every workflow is predicted and says
// why it is not confirmed.
func TestClientReadinessInProbeModeOnlyPredicts(t *testing.T) {
	insts := startZoo(t, zoo.Spec{Name: zoo.NameDistribution, Kind: zoo.KindDistribution, Delete: true})
	s, sel := clientSuite(t)
	reg := fakeRegistry(insts[0].Spec.Name, insts[0].URL)
	reg.Timeouts.Registry = time.Minute
	run, err := Run(context.Background(), Options{Registries: []config.Registry{reg}, Suite: s, Scenarios: sel.Scenarios,
		Clients: true, ClientPaths: map[string]string{"fakeclient": "/nonexistent/fakeclient"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range run.Registries[0].Clients {
		if c.Confirmed || c.Outcome != c.Predicted || !strings.Contains(c.Reason, "clients run only in verify mode") || len(c.Evidence) != 0 {
			t.Errorf("%s %s: %+v", c.Client, c.Workflow, c)
		}
	}
}
