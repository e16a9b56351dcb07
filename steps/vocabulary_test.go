package steps

import (
	"net/url"
	"strings"

	"testing"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/program"
	"github.com/ocicaps/ocicaps/results"
)

// Every example in the reference must be exactly one step: an example that
// matched two patterns would make godog refuse the scenario as ambiguous.
func TestEveryExampleIsExactlyOneStep(t *testing.T) {
	for _, d := range Vocabulary() {
		ex := d.Example
		doc := strings.HasSuffix(d.Pattern, ":$")
		if doc {
			ex, _, _ = strings.Cut(ex, "  (")
		}
		if err := Check(ex, doc); err != nil {
			t.Errorf("example %q of %s: %v", ex, d.Pattern, err)
		}
	}
}

func TestCheckReportsUndefinedAndDocStrings(t *testing.T) {
	if err := Check(`I fetch "/v2/"`, false); err == nil || !strings.Contains(err.Error(), "not in the vocabulary") {
		t.Errorf("undefined step: %v", err)
	}
	if err := Check(`the request body is:`, false); err == nil || !strings.Contains(err.Error(), "needs a doc string") {
		t.Errorf("missing doc string: %v", err)
	}
	if err := Check(`I send a GET request to "/v2/"`, true); err == nil || !strings.Contains(err.Error(), "takes no doc string") {
		t.Errorf("unexpected doc string: %v", err)
	}
	if err := Check(`the capability is supported when the status is 200 and the moon is full`, false); err == nil || !strings.Contains(err.Error(), "unknown condition") {
		t.Errorf("bad condition: %v", err)
	}
}

func TestParseConditions(t *testing.T) {
	cases := map[string]int{
		`the status is 200`: 1,
		`the status is 404 and the response body is an OCI image index`:                                       2,
		`the response header "X" is "a and b" and the status is 200, 201 or 202`:                              2,
		`the status is 200 and the JSON field "a.b[0]" exists and the response header "Allow" lists "DELETE"`: 3,
	}
	for text, n := range cases {
		got, err := parseConditions(text)
		if err != nil || len(got) != n {
			t.Errorf("%q: %d conditions, err %v; want %d", text, len(got), err, n)
		}
	}
	if st := parseStatuses("200, 201 or 202"); len(st) != 3 || st[2] != 202 {
		t.Errorf("parseStatuses: %v", st)
	}
}

func TestExpand(t *testing.T) {
	st := &state{memory: newMemory(map[string]string{"repository": "library/alpine", "blob": "sha256:x"})}
	got, err := st.expand(`/v2/{repository}/blobs/{blob}?x={"json"}`)
	if err != nil || got != `/v2/library/alpine/blobs/sha256:x?x={"json"}` {
		t.Errorf("got %q %v", got, err)
	}
	if _, err := st.expand("/v2/{missing}/"); err == nil || !strings.Contains(err.Error(), "unknown variable {missing}") {
		t.Errorf("missing variable: %v", err)
	}
}

func TestNonAnswer(t *testing.T) {
	for _, s := range []int{401, 403, 429, 500, 502, 503, 504} {
		if !nonAnswer(s) {
			t.Errorf("%d should not count as an answer", s)
		}
	}
	for _, s := range []int{200, 201, 202, 404, 405, 501} {
		if nonAnswer(s) {
			t.Errorf("%d is an answer about the capability", s)
		}
	}
}

// Every documented built-in variable exists where the docs say it does.
func TestBuiltinsDocumented(t *testing.T) {
	u, _ := url.Parse("http://r.test/v2/")
	vars := map[string]string{"host": "r.test", "plainHTTP": "true", "tlsVerify": "true", "caFile": ""}
	st := newState(&Target{Scratch: "ocicaps/verify-x", Programs: &Programs{Vars: vars}})
	defer st.closeFiles()
	st.last = &client.Response{Status: 404, URL: u}
	st.setBody([]byte("x"))
	for _, v := range Builtins() {
		if v.Name == "exit" || v.Name == "output" {
			continue // after a program's run, below
		}
		if _, err := st.expand("{" + v.Name + "}"); err != nil {
			t.Errorf("documented variable {%s}: %v", v.Name, err)
		}
	}
	st.ran(results.Exchange{}, &program.Result{ExitCode: 3, Output: []byte("no\nway")})
	if v, err := st.expand("{exit} {output}"); err != nil || v != "3 no way" {
		t.Errorf("{exit} {output} after a run: %q %v", v, err)
	}
	st = newState(&Target{})
	if v, err := st.expand("{credentials}"); err != nil || v != "none" {
		t.Errorf("{credentials} without a source: %q %v", v, err)
	}
}

func TestVariableConditionsNeedNoResponse(t *testing.T) {
	st := newState(&Target{Credentials: "username alice, password from $PW"})
	conds, err := parseConditions(`the variable "credentials" matches "^username" and the variable "tag" is "{tag}"`)
	if err != nil {
		t.Fatal(err)
	}
	if ok, obs, err := evalAll(st, conds); !ok || err != nil {
		t.Errorf("%v %q %v", ok, obs, err)
	}
	conds, _ = parseConditions(`the variable "credentials" is "none"`)
	if ok, obs, _ := evalAll(st, conds); ok || obs != `variable credentials is "username alice, password from $PW"` {
		t.Errorf("%v %q", ok, obs)
	}
	// A response condition still needs a response.
	conds, _ = parseConditions(`the status is 200 and the variable "credentials" is "none"`)
	if _, _, err := evalAll(st, conds); err == nil {
		t.Error("no error without a response")
	}
}

// The literal-prefix test in Matches never changes an answer: every
// definition against every example step of the vocabulary and of the
// conditions gives what the regular expression alone gives, and the
// prefixes are long enough to rule out most definitions.
func TestPrefixFilterChangesNoMatch(t *testing.T) {
	var texts []string
	for _, d := range defs {
		texts = append(texts, d.Example, "x"+d.Example, strings.ToUpper(d.Example))
	}
	for _, c := range conditions {
		texts = append(texts, c.example)
		if !strings.HasPrefix(c.example, c.prefix) || c.prefix == "" {
			t.Errorf("condition %q: prefix %q", c.pattern, c.prefix)
		}
	}
	for _, d := range defs {
		if d.prefix == "" {
			t.Errorf("%s: no literal prefix", d.Pattern)
		}
		for _, text := range texts {
			if got, want := d.Matches(text), d.re.MatchString(text); got != want {
				t.Errorf("%s on %q: Matches %v, the regular expression %v", d.Pattern, text, got, want)
			}
		}
	}
}
