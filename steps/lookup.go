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
	return checkRegexes(d, text)
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
	case d.Group == "Outcomes" && strings.HasPrefix(d.Pattern, "^the registry deviates from ") && len(m) > 2:
		return m[2]
	case d.Group == "Outcomes" && len(m) > 1 && !strings.HasPrefix(text, "otherwise"):
		return m[1]
	case d.Group == groupWorkflows && len(m) > 1:
		return m[1]
	case d.Group == "Clean-up" && strings.HasSuffix(d.Pattern, " if (.+)$") && len(m) > 2:
		return m[2]
	case strings.HasSuffix(d.Pattern, " when (.+)$") && len(m) > 1:
		// A saving step that acts only when conditions hold.
		return m[len(m)-1]
	}
	return ""
}

// savesRE finds the argument naming the variable a saving step saves to.
var savesRE = regexp.MustCompile(`^\^(I save|I record the response header|I resolve|I push)\b.* as ` + regexp.QuoteMeta(qName))

// savedName returns the variable a step text saves to, if it is a step
// that saves one.
func savedName(d *Def, text string) (string, bool) {
	loc := savesRE.FindStringIndex(d.Pattern)
	if loc == nil || keepsBytes(d) {
		return "", false
	}
	group := len(quotedGroups(d.Pattern[:loc[1]]))
	m := d.re.FindStringSubmatch(text)
	if m == nil || group >= len(m) {
		return "", false
	}
	return unescape(m[group]), true
}

// keepsBytes tells the saving steps that keep a body under the name, not a
// variable: they cannot hide a built-in one.
func keepsBytes(d *Def) bool {
	return strings.HasPrefix(d.Pattern, `^I save (\d+) random bytes`) || strings.HasPrefix(d.Pattern, `^I save the response body as`)
}

// Lint warns about a step that is in the vocabulary but likely a mistake:
// saving to the name of a built-in variable, which then means two things.
// The error is a *CheckError with a hint; nil when nothing is wrong.
func Lint(text string) error {
	for _, d := range defs {
		if !d.Matches(text) {
			continue
		}
		name, ok := savedName(d, text)
		if !ok {
			continue
		}
		for _, b := range Builtins() {
			if b.Name == name {
				return problem(fmt.Sprintf("choose another name, e.g. %q", "my"+strings.ToUpper(name[:1])+name[1:]),
					"saves {%s}, the name of a built-in variable (%s)", name, b.Doc)
			}
		}
	}
	return nil
}

// BuiltinNames are the names of the built-in variables, for validation
// of the placeholders a scenario uses.
func BuiltinNames() []string {
	var out []string
	for _, b := range Builtins() {
		out = append(out, b.Name)
	}
	return out
}
