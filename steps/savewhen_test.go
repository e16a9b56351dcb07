package steps

import (
	"context"
	"testing"

	"github.com/ocicaps/ocicaps/client"
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
