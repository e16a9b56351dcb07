package junit

import (
	"fmt"
	"strings"

	gojunit "github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/ocicaps/ocicaps/report/internal/readinesstext"
	"github.com/ocicaps/ocicaps/results"
)

// Client readiness (ocicaps run --clients) in junit.xml, a contract
// (docs/reports.md): after the registries' testsuites, one testsuite per
// registry with clients, named "clients [<registry>]", with one testcase
// per workflow named "<client> <workflow> [<registry>]" (ids hold no space,
// so no name repeats a capability's) and classname
// "ocicaps.clients.<registry>". A workflow the real client ran that works
// passes; one that fails loudly is skipped, as an unsupported capability
// is (an answer about the registry, nothing lost); one that is unsafe, or
// whose run contradicts the prediction, is a <failure>; a run that could
// not decide is an <error>. A prediction is not a test that ran: skipped,
// whatever it predicts, with the prediction in the message. Registries'
// testsuites come first and keep their ids, so a run with --clients
// reads the same there as one without.

// ClientsSuiteName is the testsuite of registry reg's client workflows.
func ClientsSuiteName(reg string) string { return "clients [" + reg + "]" }

// ClientCaseName is the testcase of one workflow of a client on reg.
func ClientCaseName(reg, client, workflow string) string {
	return client + " " + workflow + " [" + reg + "]"
}

// Failure types of client workflows.
const (
	TypeUnsafe   = "unsafe"
	TypeMismatch = "mismatch"
)

// addClientSuites adds the readiness testsuites of run's registries,
// numbered after the registries' own.
func addClientSuites(suites *gojunit.Testsuites, run *results.Run) {
	id := len(run.Registries)
	for _, reg := range run.Registries {
		if len(reg.Clients) == 0 {
			continue
		}
		suites.AddSuite(clientSuite(id, run, reg))
		id++
	}
}

func clientSuite(id int, run *results.Run, reg results.Registry) gojunit.Testsuite {
	suite := gojunit.Testsuite{Name: clean(ClientsSuiteName(reg.Name)), ID: id}
	var ms int64
	for _, w := range reg.Clients {
		ms += w.DurationMS
	}
	suite.Time = seconds(ms)
	if !run.StartedAt.IsZero() {
		suite.SetTimestamp(run.StartedAt)
	}
	suite.AddProperty("registry", clean(reg.Name))
	seen := map[string]bool{}
	for _, w := range reg.Clients {
		if v := clientVersion(w); v != "" && !seen[v] {
			seen[v] = true
			suite.AddProperty("clientVersion", clean(v))
		}
	}
	for _, w := range reg.Clients {
		suite.AddProperty("readiness", clean(ReadinessLine(w)))
	}
	for _, w := range reg.Clients {
		suite.AddTestcase(clientCase(reg, w))
	}
	return suite
}

// clientVersion is "<client> <version>" ("oras Version: 1.3.6"), the
// version alone when it names the client already ("cosign v2.6.5"); ""
// when the client did not run.
func clientVersion(w results.ClientWorkflow) string {
	v := strings.TrimSpace(w.Version)
	if v == "" || strings.HasPrefix(strings.ToLower(v), strings.ToLower(w.Client)) {
		return v
	}
	return w.Client + " " + v
}

// ReadinessLine is "<client> <workflow>: <outcome> (<basis>)", with the
// mismatch when there is one: the "readiness" property of the suite.
func ReadinessLine(w results.ClientWorkflow) string {
	line := fmt.Sprintf("%s %s: %s (%s)", w.Client, w.Workflow, w.Outcome, readinesstext.Basis(w, noEscape))
	if m := readinesstext.Mismatch(w, noEscape); m != "" {
		line += " " + m
	}
	return line
}

func clientCase(reg results.Registry, w results.ClientWorkflow) gojunit.Testcase {
	tc := gojunit.Testcase{
		Name:      clean(ClientCaseName(reg.Name, w.Client, w.Workflow)),
		Classname: clean("ocicaps.clients." + reg.Name),
		Time:      seconds(w.DurationMS),
	}
	evidence := exchangeLines(w.Evidence)
	clientVerdict(&tc, w, evidence)
	tc.SystemOut = &gojunit.Output{Data: clean(strings.Join(clientOut(w, evidence), "\n") + "\n")}
	return tc
}

// clientVerdict marks tc as the mapping above says.
func clientVerdict(tc *gojunit.Testcase, w results.ClientWorkflow, evidence []string) {
	todo := readinesstext.Todo(w, noEscape)
	switch {
	case w.Outcome == results.Unknown && readinesstext.Ran(w):
		tc.Error = &gojunit.Result{Message: clean("the client's run could not decide: " + reasonOr(w.Reason)), Type: "error", Data: clean(orNone(evidence))}
	case !w.Confirmed:
		tc.Skipped = &gojunit.Result{Message: clean(fmt.Sprintf("%s (predicted, not run by the real client): %s", w.Outcome, todo))}
	case w.Outcome == results.Unsafe:
		msg := "unsafe (the client loses or damages data on this registry): " + todo
		if w.Mismatch {
			msg += "; " + readinesstext.Mismatch(w, noEscape)
		}
		tc.Failure = &gojunit.Result{Message: clean(msg), Type: TypeUnsafe, Data: clean(orNone(evidence))}
	case w.Mismatch:
		tc.Failure = &gojunit.Result{Message: clean(fmt.Sprintf("%s; the real client's outcome is %s: %s", readinesstext.Mismatch(w, noEscape), w.Outcome, reasonOr(w.Reason))),
			Type: TypeMismatch, Data: clean(orNone(evidence))}
	case w.Outcome == results.Fails:
		tc.Skipped = &gojunit.Result{Message: clean("fails (confirmed): " + todo)}
	case w.Outcome == results.Works || w.Outcome == results.WorksWithFallback:
		// Passed; what to do is in system-out.
	default:
		tc.Error = &gojunit.Result{Message: clean(fmt.Sprintf("outcome %q: %s", w.Outcome, reasonOr(w.Reason))), Type: "error", Data: clean(orNone(evidence))}
	}
}

// clientOut is the testcase's system-out: the outcome and what decided
// it, what to do, and the evidence, one line each.
func clientOut(w results.ClientWorkflow, evidence []string) []string {
	out := []string{"outcome: " + string(w.Outcome), "basis: " + readinesstext.Basis(w, noEscape)}
	if w.Predicted != "" {
		out = append(out, "predicted: "+string(w.Predicted))
	}
	if m := readinesstext.Mismatch(w, noEscape); m != "" {
		out = append(out, "mismatch: "+noEscape(w.Reason))
	}
	if len(w.Via) > 0 {
		out = append(out, "via: "+strings.Join(w.Via, ", "))
	}
	out = append(out, "what to do: "+readinesstext.Todo(w, noEscape))
	if w.Reason != "" {
		out = append(out, "reason: "+noEscape(w.Reason))
	}
	if w.Version != "" {
		out = append(out, "client version: "+noEscape(w.Version))
	}
	if e := readinesstext.Egress(w, noEscape); e != "" {
		out = append(out, "egress: "+e)
	}
	if w.Source != "" {
		out = append(out, "workflow: "+noEscape(w.Source))
	}
	return append(out, evidence...)
}
