package steps

import (
	"fmt"
	"regexp"
	"strings"
)

// CheckError is what Check finds wrong with a step: a message, and a hint
// saying what to write instead.
type CheckError struct {
	msg, hint string
	err       error // the cause, if any
}

func (e *CheckError) Error() string { return e.msg }

// Hint says what to write instead.
func (e *CheckError) Hint() string { return e.hint }

func (e *CheckError) Unwrap() error { return e.err }

func problem(hint, format string, args ...any) *CheckError {
	return &CheckError{msg: fmt.Sprintf(format, args...), hint: hint}
}

// Check tells whether text is exactly one step of the vocabulary and, for
// outcome steps, whether its conditions parse. Errors are *CheckError,
// whose hint names the closest step.
func Check(text string, docString bool) error {
	var matched []*Def
	for _, d := range defs {
		if d.Matches(text) {
			matched = append(matched, d)
		}
	}
	switch len(matched) {
	case 0:
		return problem(fmt.Sprintf("closest step: %q (run `ocicaps steps` for all)", closest(text)), "not in the vocabulary")
	case 1:
	default:
		var pats []string
		for _, d := range matched {
			pats = append(pats, d.Pattern)
		}
		return problem("this is a bug in the vocabulary; please report it", "ambiguous: matches %s", strings.Join(pats, " and "))
	}
	d := matched[0]
	wantsDoc := strings.HasSuffix(d.Pattern, ":$")
	switch {
	case wantsDoc && !docString:
		return problem(`put the body between two lines of """`, `needs a doc string (""") below it`)
	case !wantsDoc && docString:
		return problem(`remove the """ block, or end the step with ":" if you meant "the request body is:"`, "takes no doc string")
	}
	if cond := conditionArg(d, text); cond != "" {
		if _, err := parseConditions(cond); err != nil {
			return &CheckError{msg: err.Error(), hint: "join conditions with \" and \"; each must be one of the Checks in `ocicaps steps`", err: err}
		}
	}
	return nil
}

var wordRE = regexp.MustCompile(`[A-Za-z]+`)

// closest returns the example of the definition sharing most words with text.
func closest(text string) string {
	words := map[string]bool{}
	for _, w := range wordRE.FindAllString(strings.ToLower(text), -1) {
		words[w] = true
	}
	best, bestScore := "", -1
	for _, d := range defs {
		score := 0
		for _, w := range wordRE.FindAllString(strings.ToLower(d.Example), -1) {
			if words[w] {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = d.Example, score
		}
	}
	return best
}

// conditionArg returns the conditions text of a step that takes one.
func conditionArg(d *Def, text string) string {
	m := d.re.FindStringSubmatch(text)
	switch {
	case d.Group == "Outcomes" && len(m) > 1 && !strings.HasPrefix(text, "otherwise"):
		return m[1]
	case d.Group == "Clean-up" && len(m) > 2:
		return m[2]
	}
	return ""
}
