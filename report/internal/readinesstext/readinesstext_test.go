package readinesstext

import (
	"reflect"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

func id(s string) string { return s }

func TestBasisAndMismatch(t *testing.T) {
	cases := []struct {
		w             results.ClientWorkflow
		basis, mismat string
	}{
		{results.ClientWorkflow{Outcome: results.Works, Predicted: results.Works, Confirmed: true}, "confirmed", ""},
		{results.ClientWorkflow{Outcome: results.Fails, Predicted: results.Works, Confirmed: true, Mismatch: true}, "confirmed", "MISMATCH: predicted works"},
		{results.ClientWorkflow{Outcome: results.Works, Predicted: results.Works}, "predicted", ""},
		{results.ClientWorkflow{Outcome: results.Unknown, Predicted: results.Works}, "not confirmed; predicted works", ""},
		{results.ClientWorkflow{Outcome: results.Unknown}, "predicted", ""},
	}
	for _, c := range cases {
		if got := Basis(c.w, id); got != c.basis {
			t.Errorf("Basis(%+v) = %q, want %q", c.w, got, c.basis)
		}
		if got := Mismatch(c.w, id); got != c.mismat {
			t.Errorf("Mismatch(%+v) = %q, want %q", c.w, got, c.mismat)
		}
	}
}

// TestTodo: the words come from the model (advice, settings, reason);
// the writer's text function reaches every one of them.
func TestTodo(t *testing.T) {
	cases := []struct {
		w    results.ClientWorkflow
		want string
	}{
		{results.ClientWorkflow{Outcome: results.Works}, NoSettings},
		{results.ClientWorkflow{Outcome: results.WorksWithFallback, Settings: "--x y"}, "use `--x y`"},
		{results.ClientWorkflow{Outcome: results.WorksWithFallback, Settings: "--x y", Advice: "use `c --x y`"}, "use `c --x y`"},
		{results.ClientWorkflow{Outcome: results.Works, Settings: "--x", Advice: "prefer this"}, "prefer this (settings: `--x`)"},
		{results.ClientWorkflow{Outcome: results.Unsafe, Advice: "do not run `c d` here", Reason: "r"}, "do not run `c d` here"},
		{results.ClientWorkflow{Outcome: results.Fails, Reason: "it stopped"}, "it stopped"},
		{results.ClientWorkflow{Outcome: results.Unknown, Advice: "a", Reason: "delete was not judged"}, "delete was not judged"},
	}
	for _, c := range cases {
		if got := Todo(c.w, id); got != c.want {
			t.Errorf("Todo(%+v) = %q, want %q", c.w, got, c.want)
		}
	}
	upper := func(s string) string { return "<" + s + ">" }
	w := results.ClientWorkflow{Outcome: results.Works, Settings: "s", Advice: "a"}
	if got := Todo(w, upper); got != "<a> (settings: <`s`>)" {
		t.Errorf("text not applied to each model string: %q", got)
	}
}

func TestSpans(t *testing.T) {
	got := Spans("use `oras attach --x` here, not `y`")
	want := []Span{{"use ", false}, {"oras attach --x", true}, {" here, not ", false}, {"y", true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Spans = %+v", got)
	}
	if got := Spans("one ` backtick"); len(got) != 1 || got[0].Code {
		t.Errorf("odd backticks: %+v", got)
	}
}

func TestCountsEgressAttention(t *testing.T) {
	ws := []results.ClientWorkflow{{Confirmed: true}, {}, {}}
	if got := Counts(ws); got != "1 confirmed, 2 predicted" {
		t.Errorf("Counts = %q", got)
	}
	if got := Counts(ws[:1]); got != "1 confirmed" {
		t.Errorf("Counts = %q", got)
	}
	w := results.ClientWorkflow{Egress: []string{"CONNECT a:443", "CONNECT b:443"}}
	if got := Egress(w, id); got != "tried to reach CONNECT a:443, CONNECT b:443 (the proxy every client runs behind answered nothing)" {
		t.Errorf("Egress = %q", got)
	}
	if Egress(results.ClientWorkflow{}, id) != "" {
		t.Error("egress without hosts")
	}
	if !Attention(results.ClientWorkflow{Outcome: results.Unsafe}) || !Attention(results.ClientWorkflow{Outcome: results.Works, Mismatch: true}) ||
		Attention(results.ClientWorkflow{Outcome: results.Fails}) {
		t.Error("Attention")
	}
}
