package steps

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/client"
)

// 30 steps that double a saved value reached 2.9 GB; now one of them is
// refused, naming the step, before the value exceeds the bounds, and what
// the variables hold stays under MaxVariablesBytes.
func TestDoublingSavedValueIsBounded(t *testing.T) {
	ctx := context.Background()
	st := newState(&Target{})
	st.vars["x0"] = "0123456789abcdef"
	var err error
	step := 0
	for step = 1; step <= 30 && err == nil; step++ {
		err = st.saveText(ctx, fmt.Sprintf("{x%d}{x%d}", step-1, step-1), fmt.Sprintf("x%d", step))
	}
	if err == nil {
		t.Fatal("30 doublings saved without error")
	}
	step--
	want := fmt.Sprintf(`step I save "{x%d}{x%d}" as "x%d": value too large: `, step-1, step-1, step)
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q\nwant it to start with %q", err, want)
	}
	total := 0
	for k, v := range st.vars {
		total += len(k) + len(v)
	}
	if total > MaxVariablesBytes {
		t.Errorf("the variables hold %d bytes, over %d", total, MaxVariablesBytes)
	}
	if _, saved := st.vars[fmt.Sprintf("x%d", step)]; saved {
		t.Errorf("the refused value was saved anyway")
	}
}

// One placeholder repeated in one text is refused before the text is built.
func TestExpandRefusesOversizedText(t *testing.T) {
	st := newState(&Target{})
	st.vars["big"] = strings.Repeat("b", 1<<20)
	if _, err := st.expand(strings.Repeat("{big}", 4)); err != nil {
		t.Fatalf("exactly the bound: %v", err)
	}
	_, err := st.expand(strings.Repeat("{big}", 5))
	if err == nil || !strings.Contains(err.Error(), "more than the 4194304 a value may have") {
		t.Fatalf("5 MiB text: %v", err)
	}
	// Many copies of a value each under the bound add up: refused by the
	// scenario's total: {big} and 15 copies are 16 MiB and their names.
	for i := 0; ; i++ {
		err = st.saveText(context.Background(), "{big}", fmt.Sprintf("copy%d", i))
		if err != nil {
			break
		}
		if i > 20 {
			t.Fatal("21 copies of 1 MiB saved")
		}
	}
	if !strings.Contains(err.Error(), `step I save "{big}" as "copy14"`) || !strings.Contains(err.Error(), "variables would hold") {
		t.Errorf("copies: %v", err)
	}
}

func TestRecordedFactsAreBounded(t *testing.T) {
	st := newState(&Target{})
	st.vars["big"] = strings.Repeat("b", 400<<10)
	ctx := context.Background()
	for i := range 2 {
		if err := st.recordText(ctx, "{big}", fmt.Sprintf("f%d", i)); err != nil {
			t.Fatalf("fact %d: %v", i, err)
		}
	}
	err := st.recordText(ctx, "{big}", "f2")
	if err == nil || !strings.Contains(err.Error(), `step I record "{big}" as "f2"`) || len(st.facts) != 2 {
		t.Errorf("third fact of 400 KiB: %v, %d facts", err, len(st.facts))
	}
	u, _ := url.Parse("http://registry.test/v2/")
	st.last = &client.Response{Status: 200, URL: u, Header: http.Header{"X-Big": {st.vars["big"]}}}
	err = st.recordHeader(ctx, `"X-Big"`, "h")
	if err == nil || !strings.Contains(err.Error(), `step I record the response header "X-Big" as "h"`) {
		t.Errorf("header fact: %v", err)
	}
}

// A step that panics (a bug) fails its scenario with an error asking for a
// bug report, instead of godog's bare panic text.
func TestPanickingStepIsAnInternalError(t *testing.T) {
	ctx := withState(context.Background(), newState(&Target{}))
	err := with(ctx, func(st *state) error {
		var b []byte
		_ = b[3]
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "internal error in ocicaps (a step: panic: runtime error: index out of range [3] with length 0); please report it") {
		t.Errorf("got %v", err)
	}
}
