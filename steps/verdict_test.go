package steps

import (
	"errors"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

// decide ranks what the steps concluded: a failure, then an unsupported
// outcome, a "supported when" that held, a non-answer, the "supported
// when"s that did not hold, else supported with what held.
func TestVerdictDecide(t *testing.T) {
	cases := []struct {
		name   string
		v      verdict
		status results.Status
		reason string
	}{
		{"failed first", verdict{failed: errors.New("boom"), unsupported: "no", decided: true}, results.Error, "boom"},
		{"unsupported", verdict{unsupported: "no referrers", decided: true}, results.Unsupported, "no referrers"},
		{"decided", verdict{decided: true, evidence: "GET /v2/: status 200", nonAnswer: "429"}, results.Supported, "GET /v2/: status 200"},
		{"non-answer", verdict{nonAnswer: "GET /v2/ answered 429", supportTried: []tried{{"GET /v2/", "x"}}}, results.Error, "GET /v2/ answered 429"},
		{"tried", verdict{supportTried: []tried{{"GET /a", "404"}, {"GET /a", "no header"}, {"PUT /b", "400"}}}, results.Unsupported, "GET /a: 404; and no header; and PUT /b: 400"},
		{"checks held", verdict{held: []string{"GET /a: status 200", "GET /b: header"}}, results.Supported, "GET /a: status 200; GET /b: header"},
	}
	for _, c := range cases {
		s, r := c.v.decide()
		if s != c.status || r != c.reason {
			t.Errorf("%s: %s %q, want %s %q", c.name, s, r, c.status, c.reason)
		}
	}
}

// The first failure is kept; a non-answer is deferred once; a fact keeps
// its last value.
func TestVerdictBookkeeping(t *testing.T) {
	var v verdict
	v.fail(errors.New("first"))
	v.fail(errors.New("second"))
	if v.failed.Error() != "first" {
		t.Errorf("failed = %v", v.failed)
	}
	if v.deferNonAnswer(errors.New("plain")) {
		t.Error("a plain error deferred")
	}
	if !v.deferNonAnswer(&errNonAnswer{"429 first"}) || !v.deferNonAnswer(&errNonAnswer{"503 later"}) || v.nonAnswer != "429 first" {
		t.Errorf("nonAnswer = %q", v.nonAnswer)
	}
	v.record("version", "1")
	v.record("other", "x")
	v.record("version", "2")
	if len(v.facts) != 2 || v.facts[0].Value != "2" {
		t.Errorf("facts %+v", v.facts)
	}
}
