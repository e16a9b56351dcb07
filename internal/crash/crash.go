// Package crash turns a panic anywhere in a run into an error the run can
// report: the part of the run that panicked ends as an error, the rest goes
// on, the reports are written, and the command exits with its own code and
// asks for a bug report (README, exit codes).
//
// The panics are kept for the whole process: the exit code is the
// process's, and a panic in any goroutine must reach it.
package crash

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Ask is the line that asks users to report a panic.
const Ask = "this is a bug in ocicaps, not a problem with the registry or your files: please report it to the ocicaps maintainers with this output (the command, the lines above and the stack below)"

// Panic is one recovered panic.
type Panic struct {
	// Where says what was running, e.g. `registry zoo-crane`.
	Where string
	// Value is the panic's value as text.
	Value string
	// Stack is the goroutine's stack at the recovery.
	Stack string
}

// Error is the error a recovered panic becomes where it happened.
type Error struct{ Panic }

func (e *Error) Error() string {
	return fmt.Sprintf("internal error in ocicaps (%s: panic: %s); please report it", e.Where, e.Value)
}

var (
	mu     sync.Mutex
	panics []Panic
)

// Recovered records v, the value of a recover() in a deferred call, and
// returns it as an *Error; nil when v is nil (nothing panicked).
func Recovered(where string, v any) error {
	if v == nil {
		return nil
	}
	p := Panic{Where: where, Value: fmt.Sprint(v), Stack: string(debug.Stack())}
	mu.Lock()
	panics = append(panics, p)
	mu.Unlock()
	return &Error{p}
}

// Panics returns the panics recovered so far in this process.
func Panics() []Panic {
	mu.Lock()
	defer mu.Unlock()
	return append([]Panic(nil), panics...)
}
