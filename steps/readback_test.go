package steps

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cucumber/godog"
	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/retry"
)

// readbackServer answers GET /v2/<path> with the body the test set for
// that path, 200, or 404 for a path without one; /v2/503 answers 503.
func readbackServer(t *testing.T, bodies map[string]string) *state {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v2/503" {
			w.WriteHeader(503)
			return
		}
		b, ok := bodies[r.URL.Path]
		if !ok {
			w.WriteHeader(404)
			return
		}
		w.Write([]byte(b))
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(srv.URL, client.Options{Retry: &retry.Policy{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return newState(&Target{Client: c})
}

func TestResponseBodyIsSlice(t *testing.T) {
	ctx := context.Background()
	st := readbackServer(t, map[string]string{"/v2/right": "klmnopqrst", "/v2/zero": "abcdefghij"})
	st.saved["blob"] = []byte("abcdefghijklmnopqrstuvwxyz")
	cond := `the response body is bytes 10 to 19 of the saved body "blob"`
	if err := st.sendRequest(ctx, "GET", "/v2/right"); err != nil {
		t.Fatal(err)
	}
	if ok, obs := judgeText(t, st, cond); !ok {
		t.Errorf("the right slice does not hold: %s", obs)
	}
	if err := st.sendRequest(ctx, "GET", "/v2/zero"); err != nil {
		t.Fatal(err)
	}
	ok, obs := judgeText(t, st, cond)
	if ok || !strings.Contains(obs, "they are bytes 0 to 9") {
		t.Errorf("bytes from offset 0: held %v, %q; want not held, naming bytes 0 to 9", ok, obs)
	}
	for _, bad := range []string{
		`the response body is bytes 10 to 26 of the saved body "blob"`,
		`the response body is bytes 9 to 8 of the saved body "blob"`,
		`the response body is bytes 0 to 1 of the saved body "none"`,
	} {
		conds, err := parseConditions(bad)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := evalAll(st, conds); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestDigestOfResponseBody(t *testing.T) {
	ctx := context.Background()
	st := readbackServer(t, map[string]string{"/v2/m": "{}"})
	if err := st.sendRequest(ctx, "GET", "/v2/m"); err != nil {
		t.Fatal(err)
	}
	st.vars["d"] = digestOf([]byte("{}"))
	if ok, obs := judgeText(t, st, `the digest of the response body is "{d}"`); !ok {
		t.Errorf("sha256 of {}: %s", obs)
	}
	sha512 := "sha512:27c74670adb75075fad058d5ceaf7b20c4e7786c83bae8a32f626f9782af34c9a33c2046ef60fd2a7878d378e29fec851806bbd9a67878f3a9f1cda4830763fd"
	if ok, obs := judgeText(t, st, `the digest of the response body is "`+sha512+`"`); !ok {
		t.Errorf("sha512 of {}: %s", obs)
	}
	ok, obs := judgeText(t, st, `the digest of the response body is "`+digestOf([]byte("x"))+`"`)
	if ok || !strings.Contains(obs, "has digest sha256:44136fa") {
		t.Errorf("another digest: held %v, %q", ok, obs)
	}
}

// A comparison that fails ends the scenario unsupported with the integrity
// words and records an integrity deviation; one that holds goes on; a 503
// is an error, not corruption.
func TestCorruptsUnless(t *testing.T) {
	ctx := context.Background()
	st := readbackServer(t, map[string]string{"/v2/good": "hello", "/v2/bad": "hellO"})
	st.saved["blob"] = []byte("hello")
	cond := `the response body is the saved body "blob"`
	if err := st.sendRequest(ctx, "GET", "/v2/good"); err != nil {
		t.Fatal(err)
	}
	if err := st.corruptsUnless(ctx, cond, "GET of the blob"); err != nil || len(st.deviations) != 0 {
		t.Fatalf("same bytes: %v, %+v", err, st.deviations)
	}
	if err := st.sendRequest(ctx, "GET", "/v2/bad"); err != nil {
		t.Fatal(err)
	}
	err := st.corruptsUnless(ctx, cond, "GET of the blob read back")
	if !errors.Is(err, godog.ErrSkip) {
		t.Fatalf("other bytes: %v, want the scenario ended unsupported", err)
	}
	o := st.outcome()
	if o.Status != results.Unsupported || !strings.HasPrefix(o.Reason, "the registry returned different bytes than were written: GET of the blob read back (the body (5 bytes") {
		t.Errorf("outcome %s %q", o.Status, o.Reason)
	}
	if len(o.Deviations) != 1 || !o.Deviations[0].Integrity() || o.Deviations[0].Evidence.URL == "" || o.Deviations[0].Section != results.IntegritySection {
		t.Errorf("deviations %+v", o.Deviations)
	}

	st = readbackServer(t, nil)
	st.saved["blob"] = []byte("hello")
	if err := st.sendRequest(ctx, "GET", "/v2/503"); err != nil {
		t.Fatal(err)
	}
	if err := st.corruptsUnless(ctx, cond, "x"); err == nil || errors.Is(err, godog.ErrSkip) || len(st.deviations) != 0 {
		t.Errorf("503: %v, %+v; want an error and no integrity failure", err, st.deviations)
	}
}

// An integrity deviation makes the registry fail whatever the
// capability's severity; a plain deviation makes it info.
func TestIntegrityForcesFail(t *testing.T) {
	reg := results.Registry{Capabilities: []results.Capability{
		{ID: "a", Status: results.Supported, SeverityWhenMissing: results.Info, Deviations: []results.Deviation{{Section: "s", Rule: "r"}}},
	}}
	results.Summarize(&reg)
	if reg.Severity != results.Info {
		t.Fatalf("plain deviation: %s", reg.Severity)
	}
	reg.Capabilities = append(reg.Capabilities, results.Capability{ID: "b", Status: results.Unsupported, SeverityWhenMissing: results.Info,
		Deviations: []results.Deviation{{Section: results.IntegritySection, Rule: results.IntegrityWords, Kind: results.KindIntegrity}}})
	results.Summarize(&reg)
	if reg.Severity != results.Fail || reg.Score != 1 {
		t.Errorf("integrity failure on an info capability: %s %d", reg.Severity, reg.Score)
	}
}

// After a push step whose read-back holds, the push's own answer is the
// current response again: a feature that checks the PUT after the step
// (its OCI-Subject, its Docker-Content-Digest) means what it meant before
// pushes were read back. A read-back that fails stays current, for the
// reason to name.
func TestPushKeepsItsAnswerCurrent(t *testing.T) {
	m, st := newMemRegistry(t)
	ctx := context.Background()
	if err := st.pushBlob(ctx, "r", []byte("ten bytes!")); err != nil {
		t.Fatal(err)
	}
	if st.last.Status != http.StatusCreated || st.exchanges[st.lastEx].Method != http.MethodPut {
		t.Errorf("current response %d of %s, want the PUT's 201", st.last.Status, st.exchanges[st.lastEx].Method)
	}
	if got := st.requestName(); !strings.HasPrefix(got, "PUT ") {
		t.Errorf("the current response is named %q, want the PUT", got)
	}
	if last := st.exchanges[len(st.exchanges)-1]; last.Method != http.MethodGet {
		t.Errorf("the read-back is not in the transcript: last exchange %s", last.Method)
	}
	m.flip = true
	if err := st.pushBlob(ctx, "r", []byte("other bytes")); err == nil {
		t.Fatal("a flipped read-back passed")
	}
	if st.exchanges[st.lastEx].Method != http.MethodGet {
		t.Errorf("after a failed read-back the current response is the %s, want the GET", st.exchanges[st.lastEx].Method)
	}
}
