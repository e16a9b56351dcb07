package ctrf

import (
	"github.com/ocicaps/ocicaps/internal/safetext"
	"github.com/ocicaps/ocicaps/report/internal/readinesstext"
	"github.com/ocicaps/ocicaps/report/junit"
	"github.com/ocicaps/ocicaps/results"
)

// TypeClientWorkflow is the type of a client workflow's test.
const TypeClientWorkflow = "client-workflow"

// clientTests are the client readiness tests (ocicaps run --clients),
// after every capability's: one per registry × workflow, named and mapped
// as junit.xml's testcases of the "clients [<registry>]" suites. Nothing
// when no registry has clients.
func clientTests(reg results.Registry) []Test {
	tests := make([]Test, 0, len(reg.Clients))
	for _, w := range reg.Clients {
		tests = append(tests, clientTest(reg, w))
	}
	return tests
}

func clientTest(reg results.Registry, w results.ClientWorkflow) Test {
	name := safetext.Line(junit.ClientCaseName(reg.Name, w.Client, w.Workflow))
	status, message := ClientStatus(w)
	t := Test{
		TestID: name, Name: name, Status: status, Duration: max(w.DurationMS, 0),
		Suite: []string{safetext.Line(junit.ClientsSuiteName(reg.Name))}, RawStatus: string(w.Outcome),
		Type: TypeClientWorkflow, Message: message,
		Labels: map[string]any{
			"registry": reg.Name, "client": w.Client, "workflow": w.Workflow, "outcome": string(w.Outcome),
			"predicted": string(w.Predicted), "confirmed": w.Confirmed, "mismatch": w.Mismatch,
		},
		Stdout: []string{}, Extra: map[string]any{"via": nonNil(w.Via), "egress": nonNil(w.Egress)},
	}
	t.FilePath, t.Line = source(w.Source)
	if w.Settings != "" {
		t.Extra["settings"] = w.Settings
	}
	if w.Advice != "" {
		t.Extra["advice"] = w.Advice
	}
	if w.Version != "" {
		t.Extra["clientVersion"] = w.Version
	}
	if w.Reason != "" {
		t.Stdout = append(t.Stdout, "reason: "+w.Reason)
	}
	for _, e := range w.Evidence {
		t.Stdout = append(t.Stdout, junit.ExchangeLine(e))
	}
	return t
}

// ClientStatus maps a workflow onto CTRF as junit.xml does: works
// (either way) passes; fails is skipped (an answer about the registry,
// nothing lost); unsafe and a mismatch fail; a run that could not decide
// fails; a prediction is skipped whatever it predicts.
func ClientStatus(w results.ClientWorkflow) (status, message string) {
	todo := readinesstext.Todo(w, safetext.Line)
	switch {
	case w.Outcome == results.Unknown && readinesstext.Ran(w):
		return Failed, "the client's run could not decide: " + safetext.Line(w.Reason)
	case !w.Confirmed:
		return Skipped, string(w.Outcome) + " (predicted, not run by the real client): " + todo
	case w.Outcome == results.Unsafe:
		return Failed, "unsafe (the client loses or damages data on this registry): " + todo
	case w.Mismatch:
		return Failed, readinesstext.Mismatch(w, safetext.Line) + "; the real client's outcome is " + string(w.Outcome) + ": " + safetext.Line(w.Reason)
	case w.Outcome == results.Fails:
		return Skipped, "fails (confirmed): " + todo
	case w.Outcome == results.Works || w.Outcome == results.WorksWithFallback:
		return Passed, ""
	}
	return Other, "outcome " + string(w.Outcome) + ": " + safetext.Line(w.Reason)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
