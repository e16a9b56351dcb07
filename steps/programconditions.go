package steps

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
)

// programConditions judge a client program's run (package program): its
// exit status and what it wrote. They read the current observation,
// which "I run …" makes the run.
var programConditions = []*condition{
	{
		pattern: `the program exits (\d+)`,
		example: `the program exits 0`,
		doc:     "The program run last ended by itself with this exit status.",
		kinds:   programRun,
		judge: func(_ *state, o observation, a []string) (bool, string, error) {
			r, err := programOf(o)
			if err != nil {
				return false, "", err
			}
			want, err := strconv.Atoi(a[0])
			if err != nil {
				return false, "", fmt.Errorf("exit status %q: %w", a[0], err)
			}
			return r.ExitCode == want, exitWords(r), nil
		},
	},
	{
		pattern: `the program fails`,
		example: `the program fails`,
		doc:     "The program run last exited with a status other than 0, or was stopped (its time limit).",
		kinds:   programRun,
		judge: func(_ *state, o observation, _ []string) (bool, string, error) {
			r, err := programOf(o)
			if err != nil {
				return false, "", err
			}
			return r.ExitCode != 0, exitWords(r), nil
		},
	},
	{
		pattern: `the output contains ` + qArg,
		example: `the output contains "Pushed"`,
		doc:     "What the program run last wrote (standard output and error together) contains the text (placeholders allowed).",
		kinds:   programRun,
		judge: func(st *state, o observation, a []string) (bool, string, error) {
			want, err := st.expand(a[0])
			if err != nil {
				return false, "", err
			}
			out := o.content()
			if bytes.Contains(out, []byte(want)) {
				return true, fmt.Sprintf("the output contains %q", want), nil
			}
			return false, fmt.Sprintf("the output does not contain %q (%s)", want, outputGist(out)), nil
		},
	},
	{
		pattern: `the output matches ` + qArg,
		example: `the output matches "Digest: sha256:[0-9a-f]{64}"`,
		doc:     "What the program run last wrote matches the regular expression (Go syntax; (?m) makes ^ and $ match at each line).",
		kinds:   programRun,
		judge: func(_ *state, o observation, a []string) (bool, string, error) {
			re, err := regexp.Compile(a[0])
			if err != nil {
				return false, "", fmt.Errorf("bad regular expression %q: %w", a[0], err)
			}
			out := o.content()
			if m := re.Find(out); m != nil {
				return true, fmt.Sprintf("the output has %q", clip(string(m), 120)), nil
			}
			return false, fmt.Sprintf("the output does not match %q (%s)", a[0], outputGist(out)), nil
		},
	},
}

// programOf is the observation as a program's run, or an error naming
// what it is instead.
func programOf(o observation) (programObservation, error) {
	r, ok := o.(programObservation)
	if !ok {
		return r, fmt.Errorf("the current observation is %s, not a program's run: run a program first (I run \"…\")", o.kind())
	}
	return r, nil
}

// exitWords says how a run ended.
func exitWords(r programObservation) string {
	if r.TimedOut {
		return "the program was stopped at its time limit"
	}
	if r.ExitCode < 0 {
		return "the program was stopped before it exited"
	}
	return fmt.Sprintf("the program exited %d", r.ExitCode)
}
