package steps

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/results"

	"github.com/ocicaps/ocicaps/retry"
)

// The spec's rule for Warning headers, as error-format writes it (\x22 is
// a double quote).
const warningRE = `^299 - \x22([^\x22\\]|\\.)*\x22( *, *299 - \x22([^\x22\\]|\\.)*\x22)*$`

// warningServer answers each path with its Warning headers.
func warningServer(t *testing.T) *state {
	t.Helper()
	warnings := map[string][]string{
		"/v2/none":  nil,
		"/v2/good":  {`299 - "Your auth token will expire in 30 seconds."`, `299 - "a \"quoted\" word", 299 - "second, in one line"`},
		"/v2/dated": {`299 - "deprecated" "Wed, 21 Oct 2015 07:28:00 GMT"`},
		"/v2/agent": {`199 registry.test "deprecated"`},
		"/v2/long":  {`299 - "` + strings.Repeat("x", 2000) + `"`, `299 - "` + strings.Repeat("y", 2100) + `"`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, v := range warnings[strings.TrimSuffix(r.URL.Path, "/401")] {
			w.Header().Add("Warning", v)
		}
		switch {
		case strings.HasSuffix(r.URL.Path, "/401"):
			w.WriteHeader(401)
		case r.URL.Path == "/v2/none":
			w.WriteHeader(200)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(404)
			w.Write([]byte(`{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}`))
		}
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(srv.URL, client.Options{Retry: &retry.Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return newState(&Target{Client: c})
}

func judgeText(t *testing.T, st *state, text string) (bool, string) {
	t.Helper()
	conds, err := parseConditions(text)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	ok, obs, err := evalAll(st, conds)
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return ok, obs
}

// The conditions judge every response so far, not only the last, and say
// which response broke them.
func TestEveryResponseHeader(t *testing.T) {
	ctx := context.Background()
	matches := `every response header "Warning" matches "` + warningRE + `"`
	bounded := `every response carries at most 4096 bytes of header "Warning"`
	cases := []struct {
		paths            []string
		matches, bounded bool
		seen             string // what matches says
	}{
		{nil, true, true, "no header Warning in 0 responses"},
		{[]string{"/v2/none"}, true, true, "no header Warning in 1 response"},
		{[]string{"/v2/none", "/v2/good"}, true, true, "2 lines of header Warning in 2 responses, all matching"},
		{[]string{"/v2/dated", "/v2/none"}, false, true, `the answer to GET /v2/dated (404 Not Found (MANIFEST_UNKNOWN: manifest unknown)) has header Warning "299 - \"deprecated\" \"Wed, 21 Oct 2015 07:28:00 GMT\""`},
		{[]string{"/v2/good", "/v2/agent"}, false, true, `the answer to GET /v2/agent (404 Not Found (MANIFEST_UNKNOWN: manifest unknown)) has header Warning "199 registry.test \"deprecated\""`},
		{[]string{"/v2/long", "/v2/none"}, true, false, "2 lines of header Warning in 2 responses, all matching"},
	}
	for _, c := range cases {
		st := warningServer(t)
		for _, p := range c.paths {
			if err := st.sendRequest(ctx, "GET", p); err != nil {
				t.Fatal(err)
			}
		}
		if ok, seen := judgeText(t, st, matches); ok != c.matches || seen != c.seen {
			t.Errorf("%v: matches %v %q, want %v %q", c.paths, ok, seen, c.matches, c.seen)
		}
		if ok, seen := judgeText(t, st, bounded); ok != c.bounded {
			t.Errorf("%v: bounded %v (%s), want %v", c.paths, ok, seen, c.bounded)
		}
	}
	st := warningServer(t)
	for _, p := range []string{"/v2/long", "/v2/good"} {
		if err := st.sendRequest(ctx, "GET", p); err != nil {
			t.Fatal(err)
		}
	}
	if _, seen := judgeText(t, st, bounded); seen != "the answer to GET /v2/long (404 Not Found (MANIFEST_UNKNOWN: manifest unknown)) carries 4116 bytes of header Warning in 2 lines" {
		t.Errorf("bounded says %q", seen)
	}
	if ok, seen := judgeText(t, st, `every response carries at most 5000 bytes of header "Warning"`); !ok || seen != "at most 4116 bytes of header Warning in each of 2 responses" {
		t.Errorf("5000 bytes: %v %q", ok, seen)
	}
	conds, _ := parseConditions(`every response header "Warning" matches "("`)
	if _, _, err := evalAll(st, conds); err == nil || !strings.Contains(err.Error(), "bad regular expression") {
		t.Errorf("a bad regular expression: %v", err)
	}
	if err := Check(matches, false); err != nil {
		t.Errorf("the check step: %v", err)
	}
	if err := Check(`the registry deviates from "Warnings" unless `+matches+` and `+bounded+` because "x"`, false); err != nil {
		t.Errorf("the deviation step: %v", err)
	}
}

// A deviation names the response that broke the rule, not the last one;
// the last answer's status (a 401) does not keep it from being recorded,
// and a response after a 401 is judged too.
func TestDeviationOfEveryResponseNamesTheCulprit(t *testing.T) {
	ctx := context.Background()
	st := warningServer(t)
	for _, p := range []string{"/v2/none", "/v2/agent", "/v2/good", "/v2/long/401"} {
		if err := st.sendRequest(ctx, "GET", p); err != nil {
			t.Fatal(err)
		}
	}
	rule := `Warning headers MUST be 299 - "<text>" with no date`
	matches := `every response header "Warning" matches "` + warningRE + `"`
	if err := st.deviatesUnless(ctx, "Warnings", matches, rule); err != nil {
		t.Fatal(err)
	}
	if err := st.deviatesUnless(ctx, "Warnings", `every response carries at most 4096 bytes of header "Warning"`, "at most 4096 bytes MUST"); err != nil {
		t.Fatal(err)
	}
	// A condition about the current response keeps its guard.
	if err := st.deviatesUnless(ctx, "Warnings", `the status is 404 and `+matches, rule); err != nil {
		t.Fatal(err)
	}
	if len(st.deviations) != 2 {
		t.Fatalf("deviations %+v, want the two rules", st.deviations)
	}
	want := []results.Evidence{
		{Method: "GET", URL: st.exchanges[1].URL, Status: 404, Answer: "404 Not Found (MANIFEST_UNKNOWN: manifest unknown)", Exchange: 1},
		{Method: "GET", URL: st.exchanges[3].URL, Status: 401, Answer: "401 Unauthorized", Exchange: 3},
	}
	for i, d := range st.deviations {
		if d.Evidence.Method != want[i].Method || d.Evidence.URL != want[i].URL || d.Evidence.Status != want[i].Status ||
			d.Evidence.Exchange != want[i].Exchange || !strings.HasPrefix(d.Evidence.Answer, want[i].Answer) {
			t.Errorf("deviation %d: evidence %+v, want %+v", i, d.Evidence, want[i])
		}
	}
	if st.nonAnswer == "" {
		t.Error("the 401 named by no step was not left to a later step")
	}
	// "when" records nothing while every response keeps the rule, and
	// names the current exchange when its other condition holds.
	st = warningServer(t)
	if err := st.sendRequest(ctx, "GET", "/v2/good"); err != nil {
		t.Fatal(err)
	}
	if err := st.deviatesWhen(ctx, "Warnings", `the status is 404 and `+matches, "x MUST"); err != nil {
		t.Fatal(err)
	}
	if len(st.deviations) != 1 || st.deviations[0].Evidence.Exchange != 0 {
		t.Errorf("when: %+v", st.deviations)
	}
}

// Only error answers keep their body: the conditions need headers, and a
// blob's megabytes would stay in memory for nothing.
func TestReceivedKeepsErrorBodiesOnly(t *testing.T) {
	ok := keepReceived(0, &client.Response{Status: 200, Body: []byte("blob")})
	bad := keepReceived(1, &client.Response{Status: 404, Body: []byte("{}")})
	if ok.resp.Body != nil || string(bad.resp.Body) != "{}" || bad.ex != 1 {
		t.Errorf("kept %q and %q", ok.resp.Body, bad.resp.Body)
	}
}

// Every item of the list is judged, not only the first.
func TestJSONListOnlyItemsMatching(t *testing.T) {
	const cond = `the JSON list "errors" has only items whose "code" matches "^(BLOB_UNKNOWN|DENIED)$"`
	cases := []struct {
		body string
		want bool
		seen string
	}{
		{`{"errors":[{"code":"BLOB_UNKNOWN"},{"code":"DENIED","detail":{}}]}`, true, "every code of the 2 items of errors matches"},
		{`{"errors":[{"code":"BLOB_UNKNOWN"},{"code":"NOT_IN_TABLE"}]}`, false, `item 1 of errors has code "NOT_IN_TABLE"`},
		{`{"errors":[{"code":"DENIED"},{"message":"no code"}]}`, false, "item 1 of errors has no code"},
		{`{"errors":[{"code":"BLOB_UNKNOWNX"}]}`, false, `item 0 of errors has code "BLOB_UNKNOWNX"`},
		{`{"errors":[]}`, true, "every code of the 0 items of errors matches"},
		{`{"errors":null}`, false, `the JSON body has no list errors ("null")`},
		{`{}`, false, "the JSON body has no list errors (missing)"},
	}
	for _, c := range cases {
		if ok, seen := holds(t, cond, c.body); ok != c.want || seen != c.seen {
			t.Errorf("%s: %v %q, want %v %q", c.body, ok, seen, c.want, c.seen)
		}
	}
	if ok, seen := holds(t, `the JSON list "manifests" has only items whose "size" matches "^[0-9]+$"`, `{"manifests":[{"size":12},{"size":"12"}]}`); !ok {
		t.Errorf("numbers compare as written in JSON: %q", seen)
	}
	if ok, _ := holds(t, `the JSON list "manifests" has only items whose "size" matches "^12$"`, `{"manifests":[{"size":12.5}]}`); ok {
		t.Error("12.5 matched ^12$")
	}
	conds, _ := parseConditions(`the JSON list "errors" has only items whose "code" matches "("`)
	st := newState(&Target{})
	st.last = &client.Response{Status: 200, Body: []byte(`{"errors":[]}`), Header: http.Header{}}
	if _, _, err := evalAll(st, conds); err == nil || !strings.Contains(err.Error(), "bad regular expression") {
		t.Errorf("a bad regular expression: %v", err)
	}
}
