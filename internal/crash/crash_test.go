package crash

import (
	"errors"
	"strings"
	"testing"
)

func TestRecovered(t *testing.T) {
	before := len(Panics())
	if err := Recovered("nothing", nil); err != nil {
		t.Fatalf("no panic: %v", err)
	}
	err := func() (err error) {
		defer func() { err = Recovered("step X", recover()) }()
		var m map[string]int
		m["a"]++
		return nil
	}()
	var ce *Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "step X: panic: assignment to entry in nil map") || !strings.Contains(err.Error(), "please report it") {
		t.Fatalf("got %v", err)
	}
	ps := Panics()
	if len(ps) != before+1 || !strings.Contains(ps[len(ps)-1].Stack, "crash.TestRecovered") {
		t.Errorf("recorded %d panics (want %d) with stack %q", len(ps), before+1, ps[len(ps)-1].Stack)
	}
}
