package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

// A flag that takes one value and is given twice is a mistake, not a
// choice of the last: "--features a --features b" would silently drop a.
// Repeatable flags (multiFlag) and booleans are left as they are.

// errTwice is the error of a second value; parseFlags says it as
// "--NAME given twice".
var errTwice = errors.New("given twice")

type onceValue struct {
	flag.Value
	set bool
}

func (o *onceValue) Set(v string) error {
	if o.set {
		return errTwice
	}
	o.set = true
	return o.Value.Set(v)
}

// onceFlags makes every single-valued flag of fl refuse a second value.
func onceFlags(fl *flag.FlagSet) {
	fl.VisitAll(func(f *flag.Flag) {
		switch f.Value.(type) {
		case *multiFlag, *onceValue:
			return
		}
		if isBool(f) {
			return
		}
		f.Value = &onceValue{Value: f.Value}
	})
}

// twiceProblem rewrites the flag package's message for errTwice.
func twiceProblem(msg string) (string, bool) {
	const pre = "invalid value "
	if !strings.HasPrefix(msg, pre) || !strings.HasSuffix(msg, ": "+errTwice.Error()) {
		return "", false
	}
	_, rest, ok := strings.Cut(msg, " for flag -")
	if !ok {
		return "", false
	}
	name, _, _ := strings.Cut(rest, ":")
	hint := "give it once"
	if name == "features" {
		hint = "--features takes one folder; to run folders together with the built-in suite, use --add-features DIR (repeatable)"
	}
	return fmt.Sprintf("--%s given twice: %s", name, hint), true
}

// String is the wrapped value's; the flag package also calls it on a zero
// onceValue to learn the zero default, which is "".
func (o *onceValue) String() string {
	if o == nil || o.Value == nil {
		return ""
	}
	return o.Value.String()
}
