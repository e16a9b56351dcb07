package steps

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/program"
	"github.com/ocicaps/ocicaps/results"
)

func judge(st *state, text string) (bool, string, error) {
	conds, err := parseConditions(text)
	if err != nil {
		return false, "", err
	}
	return evalAll(st, conds)
}

// A program's run is the current observation after ran: a condition that
// judges any observation reads its output; one that judges only HTTP
// responses (a status, a header) is refused with a message naming both
// kinds; after the next HTTP answer, HTTP conditions judge again.
func TestConditionsOnAProgramRun(t *testing.T) {
	st := newState(&Target{})
	st.keep("manifest", []byte(`{"schemaVersion":2}`))
	run := &program.Result{Argv: []string{"oras", "manifest", "fetch", "r/a:v1"}, Output: []byte(`{"schemaVersion":2}`)}
	ex := results.Exchange{Attempts: 1, Command: &results.Command{Argv: run.Argv}}
	st.ran(ex, run)

	ok, obs, err := judge(st, `the response body is the saved body "manifest"`)
	if err != nil || !ok || !strings.HasPrefix(obs, "the output is the 19 saved bytes") {
		t.Errorf("saved body on the output: %v %q %v", ok, obs, err)
	}
	st.keep("other", []byte("x"))
	if ok, obs, _ := judge(st, `the response body is the saved body "other"`); ok || !strings.HasPrefix(obs, "the output (19 bytes") {
		t.Errorf("a different output held: %q", obs)
	}
	for _, text := range []string{`the status is 200`, `the response header "Content-Type" is present`} {
		_, _, err := judge(st, text)
		want := fmt.Sprintf("the condition %q judges an HTTP response, but the current observation is a program's run", text)
		if err == nil || err.Error() != want {
			t.Errorf("%s: err %v, want %q", text, err, want)
		}
	}
	if got := st.requestName(); got != "$ oras manifest fetch r/a:v1" {
		t.Errorf("requestName %q", got)
	}
	if ev := st.lastEvidence(); ev.Command != "oras manifest fetch r/a:v1" || ev.Exchange != 0 || ev.Method != "" {
		t.Errorf("evidence %+v", ev)
	}

	u, _ := url.Parse("http://r/v2/")
	st.answered(results.Exchange{Method: "GET", URL: u.String()}, &client.Response{Status: 200, URL: u, Header: http.Header{}})
	if ok, _, err := judge(st, `the status is 200`); !ok || err != nil {
		t.Errorf("after an HTTP answer: %v %v", ok, err)
	}
}

// The variable conditions judge no observation: they hold after a
// program's run as before any request.
func TestVariableConditionsNeedNoObservation(t *testing.T) {
	st := newState(&Target{})
	st.ran(results.Exchange{}, &program.Result{Argv: []string{"crane"}})
	if ok, _, err := judge(st, `the variable "credentials" is "none"`); !ok || err != nil {
		t.Errorf("%v %v", ok, err)
	}
}

// validate follows the kind of the current observation through a
// scenario: a condition judging only HTTP responses after a program's run
// is named, with the step that ran the program; one judging either, or
// one after the next HTTP request, is not.
func TestCheckObservationsNamesTheWrongKind(t *testing.T) {
	vocab := defs
	texts := []string{
		`the response header "X" is present`, // nothing observed yet: Check's and the run's business
		`I run "oras version"`,
		`the response header "X" is present`,
		`the capability is supported when the status is 200`,
		`the response body is the saved body "x"`,
		`the variable "credentials" is "none"`,
		`I send a GET request to "/v2/"`,
		`the status is 200`,
	}
	probs := checkObservations(vocab, texts)
	var at []int
	for _, p := range probs {
		at = append(at, p.Step)
	}
	if len(at) != 2 || at[0] != 2 || at[1] != 3 {
		t.Fatalf("problems at steps %v, want [2 3]: %v", at, probs)
	}
	var ce *CheckError
	if !errors.As(probs[1].Err, &ce) || ce.Hint() == "" ||
		ce.Error() != `the condition "the status is 200" judges an HTTP response, but the current observation is a program's run (from step "I run \"oras version\"")` {
		t.Errorf("problem: %v", probs[1].Err)
	}
	// The exported check is the same walk over the vocabulary.
	if p := CheckObservations(texts); len(p) != 2 {
		t.Errorf("with the built-in vocabulary: %v", p)
	}
}
