package steps

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/results"
)

// A conditional save keeps the variable's value unless the conditions hold
// for the current response; a condition that does not parse is an error.
func TestSaveTextWhen(t *testing.T) {
	st := newState(&Target{})
	st.vars["largest"] = "none"
	for _, c := range []struct {
		status int
		text   string
	}{{202, "1 MiB"}, {202, "4 MiB"}, {416, "8 MiB"}, {500, "16 MiB"}} {
		st.last = &client.Response{Status: c.status}
		if err := st.saveTextWhen(context.Background(), c.text, "largest", "the status is 202"); err != nil {
			t.Fatal(err)
		}
	}
	if st.vars["largest"] != "4 MiB" {
		t.Errorf("largest = %q, want 4 MiB", st.vars["largest"])
	}
	if err := st.saveTextWhen(context.Background(), "x", "y", "the moon is full"); err == nil {
		t.Error("an unknown condition was accepted")
	}
	if err := Check(`I save "x" as "y" when the moon is full`, false); err == nil {
		t.Error("validate accepted an unknown condition in a conditional save")
	}
}

// The three steps that act only when conditions hold judge a non-answer
// alike: a 503 does not match "the status is 202" and is no error (it is
// the outcome steps' to call an error), and a 202 matches.
func TestStepsThatActWhenConditionsHold(t *testing.T) {
	u, _ := url.Parse("http://registry.test/v2/r/blobs/uploads/1")
	ctx := context.Background()
	c, err := client.New("http://127.0.0.1:1", client.Options{}) // never dialled: clean-ups only register here
	if err != nil {
		t.Fatal(err)
	}
	for status, want := range map[int]bool{http.StatusServiceUnavailable: false, http.StatusUnauthorized: false, http.StatusAccepted: true} {
		st := newState(&Target{Client: c})
		st.last = &client.Response{Status: status, URL: u, Header: http.Header{}}
		st.exchanges = append(st.exchanges, results.Exchange{Method: http.MethodPatch, URL: u.String(), Status: status})
		if err := st.saveTextWhen(ctx, "8 MiB", "largest", "the status is 202"); err != nil {
			t.Errorf("%d: save: %v", status, err)
		}
		if err := st.recordWhen(ctx, "taken", "8 MiB", "the status is 202"); err != nil {
			t.Errorf("%d: record: %v", status, err)
		}
		if err := st.deleteAtEndIf(ctx, "/v2/r/blobs/uploads/1", "the status is 202"); err != nil {
			t.Errorf("%d: delete at the end: %v", status, err)
		}
		_, saved := st.vars["largest"]
		if saved != want || (len(st.facts) == 1) != want || (len(st.cleanups) == 1) != want {
			t.Errorf("%d: saved %v, facts %v, clean-ups %v; want each done: %v", status, saved, st.facts, st.cleanups, want)
		}
	}
}
