package steps

import (
	"fmt"
	"regexp"
	"strings"
)

// Check tells whether text is exactly one step of the vocabulary and, for
// outcome steps, whether its conditions parse. Errors carry a hint after
// "\nhint: " naming the closest step.
func Check(text string, docString bool) error {
	var matched []*Def
	for _, d := range defs {
		if d.Matches(text) {
			matched = append(matched, d)
		}
	}
	switch len(matched) {
	case 0:
		return fmt.Errorf("not in the vocabulary\nhint: closest step: %q (run `ocicaps steps` for all)", closest(text))
	case 1:
	default:
		var pats []string
		for _, d := range matched {
			pats = append(pats, d.Pattern)
		}
		return fmt.Errorf("ambiguous: matches %s\nhint: this is a bug in the vocabulary; please report it", strings.Join(pats, " and "))
	}
	d := matched[0]
	wantsDoc := strings.HasSuffix(d.Pattern, ":$")
	switch {
	case wantsDoc && !docString:
		return fmt.Errorf("needs a doc string (\"\"\") below it\nhint: put the body between two lines of \"\"\"")
	case !wantsDoc && docString:
		return fmt.Errorf("takes no doc string\nhint: remove the \"\"\" block, or end the step with \":\" if you meant \"the request body is:\"")
	}
	if cond := conditionArg(d, text); cond != "" {
		if _, err := parseConditions(cond); err != nil {
			return fmt.Errorf("%v\nhint: join conditions with \" and \"; each must be one of the Checks in `ocicaps steps`", err)
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
