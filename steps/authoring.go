package steps

import (
	"fmt"
	"regexp"
	"strings"
)

// What validate checks in a step beyond matching the vocabulary: regular
// expressions Go cannot compile (validate said ok, then the run blamed the
// registry), and, for a condition that matches none, which words did not.

// regexGroups tells, for each capturing group of a pattern, whether it
// is a regular expression argument: a quoted group right after "matches"
// or "matching".
func regexGroups(pattern string) []bool {
	var out []bool
	for i := 0; i < len(pattern); i++ {
		switch {
		case pattern[i] == '\\':
			i++
		case pattern[i] == '(' && !strings.HasPrefix(pattern[i:], "(?"):
			before := pattern[:i]
			out = append(out, strings.HasSuffix(before, `matches "`) || strings.HasSuffix(before, `matching "`))
		}
	}
	return out
}

// badRegex returns an error for the first regular expression argument of
// a match of pattern (args without the whole match) that does not compile.
func badRegex(pattern string, args []string) error {
	for i, isRE := range regexGroups(pattern) {
		if !isRE || i >= len(args) {
			continue
		}
		if _, err := regexp.Compile(unescape(args[i])); err != nil {
			return problem("write a regular expression in Go syntax (https://pkg.go.dev/regexp/syntax); a literal text needs its special characters escaped with \\\\",
				"regular expression %q does not compile: %v", unescape(args[i]), err)
		}
	}
	return nil
}

// checkRegexes checks the regular expressions of a step of definition d
// and of its conditions.
func checkRegexes(d *Def, text string) error {
	if m := submatch(d, text); m != nil {
		if err := badRegex(d.Pattern, m[1:]); err != nil {
			return err
		}
	}
	cond := conditionArg(d, text)
	if cond == "" {
		return nil
	}
	bound, err := parseConditions(cond)
	if err != nil {
		return nil // said by Check
	}
	for _, b := range bound {
		m := b.c.re.FindStringSubmatch(b.text)
		if m == nil {
			continue
		}
		if err := badRegex(b.c.pattern, m[1:]); err != nil {
			return err
		}
	}
	return nil
}

// unknownCondition says which part of conditions matches no condition:
// the first part between " and " that is none, the words of it that the
// closest condition shares from the start, and that condition's example.
func unknownCondition(text string) error {
	part := text
	for _, p := range strings.Split(text, " and ") {
		if _, _, ok := matchCondition(p); !ok {
			part = p
			break
		}
	}
	best, shared := closestCondition(part)
	words, _ := tokens(part)
	msg := fmt.Sprintf("unknown condition %q", part)
	if part != text {
		msg += fmt.Sprintf(" (in %q)", text)
	}
	switch {
	case best == nil:
		msg += ": no condition starts like it"
	case shared < len(words):
		msg += fmt.Sprintf(": the words from %q on match no condition", strings.Join(words[shared:], " "))
	default:
		msg += ": it stops before the condition does"
	}
	if best != nil {
		msg += fmt.Sprintf("; closest: %s", best.example)
	}
	return fmt.Errorf("%s; `ocicaps steps` lists every condition", msg)
}

// tokenRE splits a condition into words, a quoted argument being one.
var tokenRE = regexp.MustCompile(`"(?:\\"|[^"])*"|\S+`)

// tokens are the words of s, each quoted argument as "…".
func tokens(s string) (shown, norm []string) {
	for _, t := range tokenRE.FindAllString(s, -1) {
		shown = append(shown, t)
		if strings.HasPrefix(t, `"`) {
			t = `"…"`
		}
		norm = append(norm, t)
	}
	return shown, norm
}

// closestCondition is the condition whose example shares most leading
// words with text (a quoted argument matching any other), and how many.
func closestCondition(text string) (*condition, int) {
	_, got := tokens(text)
	var best *condition
	bestN := 0
	for _, c := range conditions {
		_, ex := tokens(c.example)
		n := 0
		for n < len(got) && n < len(ex) && got[n] == ex[n] {
			n++
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	return best, bestN
}
