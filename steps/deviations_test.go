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

// Both forms of the deviation step validate, their conditions are checked
// like every outcome step's, and a quote inside the rule is written \".
func TestDeviationStepValidates(t *testing.T) {
	for _, text := range []string{
		`the registry deviates from "Pushing blobs" when the status is 201 and the response header "Location" is absent because "the 201 MUST carry Location"`,
		`the registry deviates from "Deleting Blobs" unless the status is 404 because "an absent blob MUST answer 404, not {answer}"`,
		`the registry deviates from "Listing \"Referrers\"" unless the JSON list "manifests" has 0 items because "the spec says \"MUST\": an empty list"`,
	} {
		if err := Check(text, false); err != nil {
			t.Errorf("%q: %v", text, err)
		}
	}
	err := Check(`the registry deviates from "Pushing blobs" when the moon is full because "x"`, false)
	if err == nil || !strings.Contains(err.Error(), "unknown condition") {
		t.Errorf("bad condition: %v", err)
	}
	if err := Check(`the registry deviates from "" when the status is 201 because "x"`, false); err == nil {
		t.Error("an empty section validates")
	}
}

// deviationServer answers every request with the status and headers of
// the path: /201-no-location, /201, /500, /401.
func deviationServer(t *testing.T) *state {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v2/201":
			w.Header().Set("Location", "/v2/r/blobs/sha256:ab")
			w.WriteHeader(201)
		case "/v2/201-no-location":
			w.WriteHeader(201)
		case "/v2/500":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(500)
			w.Write([]byte(`{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown"}]}`))
		case "/v2/401":
			w.WriteHeader(401)
		default:
			w.WriteHeader(404)
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

func TestDeviationRecordsAndGoesOn(t *testing.T) {
	ctx := context.Background()
	st := deviationServer(t)
	for _, p := range []string{"/v2/201", "/v2/201-no-location"} {
		if err := st.sendRequest(ctx, "PUT", p); err != nil {
			t.Fatal(err)
		}
		if err := st.deviatesWhen(ctx, "Pushing blobs", `the status is 201 and the response header "Location" is absent`, "the 201 MUST carry Location; got {answer}"); err != nil {
			t.Fatalf("%s: the step failed: %v", p, err)
		}
	}
	if len(st.deviations) != 1 {
		t.Fatalf("deviations %+v, want one (the 201 without Location)", st.deviations)
	}
	d := st.deviations[0]
	want := results.Deviation{Section: "Pushing blobs", Rule: "the 201 MUST carry Location; got 201 Created",
		Evidence: results.Evidence{Method: "PUT", URL: st.exchanges[1].URL, Status: 201, Answer: "201 Created", Exchange: 1}}
	if d != want {
		t.Errorf("got %+v\nwant %+v", d, want)
	}
	if !strings.HasSuffix(d.Evidence.URL, "/v2/201-no-location") {
		t.Errorf("evidence URL %q", d.Evidence.URL)
	}
	// The scenario goes on: a later outcome decides the verdict, and the
	// deviation stays on it.
	if err := st.supportedWhen(ctx, "the status is 201"); err != nil {
		t.Fatal(err)
	}
	o := st.outcome()
	if o.Status != results.Supported || len(o.Deviations) != 1 {
		t.Errorf("outcome %s with %d deviations, want supported with 1", o.Status, len(o.Deviations))
	}
}

// "unless" records when a condition does not hold; a 500 is judged (it
// is the deviation); a 401 records nothing and is left to later steps.
func TestDeviationUnless(t *testing.T) {
	ctx := context.Background()
	st := deviationServer(t)
	for _, p := range []string{"/v2/absent", "/v2/500", "/v2/401"} {
		if err := st.sendRequest(ctx, "DELETE", p); err != nil {
			t.Fatal(err)
		}
		if err := st.deviatesUnless(ctx, "Deleting Blobs", "the status is 404", `an absent blob MUST answer 404, not "{answer}"`); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if len(st.deviations) != 1 {
		t.Fatalf("deviations %+v, want the 500 only", st.deviations)
	}
	if got := st.deviations[0]; got.Rule != `an absent blob MUST answer 404, not "500 Internal Server Error (BLOB_UNKNOWN: blob unknown)"` || got.Evidence.Status != 500 || got.Evidence.Exchange != 1 {
		t.Errorf("got %+v", got)
	}
	if st.nonAnswer == "" {
		t.Error("the 401 was not left to a later step")
	}
	if o := st.outcome(); o.Status != results.Error {
		t.Errorf("a 401 no step names: %s, want error", o.Status)
	}
}

// A rule naming a variable never saved is an error, not a silent blank.
func TestDeviationRuleNeedsItsVariables(t *testing.T) {
	ctx := context.Background()
	st := deviationServer(t)
	if err := st.sendRequest(ctx, "GET", "/v2/201"); err != nil {
		t.Fatal(err)
	}
	err := st.deviatesWhen(ctx, "x", "the status is 201", "{nothing}")
	if err == nil || !strings.Contains(err.Error(), "unknown variable {nothing}") {
		t.Errorf("got %v", err)
	}
}

// A scenario that no "supported when" decides (it ends on deviation or
// "unsupported unless" steps, like chunked-out-of-order's) is supported,
// and its reason names the checks that held instead of being empty.
func TestSupportedWithoutSupportedWhenSaysWhatHeld(t *testing.T) {
	st := newState(&Target{})
	st.held = []string{"PATCH /v2/x/blobs/uploads/s: the status was 416"}
	o := st.outcome()
	if o.Status != results.Supported || o.Reason != st.held[0] {
		t.Errorf("%s %q, want supported %q", o.Status, o.Reason, st.held[0])
	}
}
