package steps

import (
	"errors"
	"fmt"
)

// MaxValueBytes bounds the text a step makes by filling in placeholders: a
// request target, a body from a doc string, a saved or recorded text. A
// feature file holds at most 4 MiB (suite.MaxFeatureBytes), so no literal
// text reaches it; only placeholders that repeat a large value do, e.g.
// steps that double a saved value ("{x0}{x0}" as "x1", then "{x1}{x1}"
// as "x2" …), which reached 2.9 GB in 30 steps.
const MaxValueBytes = 4 << 20

// MaxVariablesBytes bounds the variables of one scenario together: many
// copies of one large value, each under MaxValueBytes, would otherwise add
// up without bound.
const MaxVariablesBytes = 16 << 20

// MaxFactsBytes bounds the facts one scenario records: they are shown in
// every report, for every registry.
const MaxFactsBytes = 1 << 20

// errTooLarge marks the errors of these bounds.
var errTooLarge = errors.New("value too large")

// expandedSize is the length expand would give s, worked out without
// building it. Unknown names count as themselves (expand refuses them).
func (st *state) expandedSize(s string) int {
	n := len(s)
	for _, m := range placeholderRE.FindAllStringSubmatchIndex(s, -1) {
		if v, ok := st.vars[s[m[2]:m[3]]]; ok {
			n += len(v) - (m[1] - m[0])
		}
	}
	return n
}

// checkExpandedSize refuses, before it is built, a text whose placeholders
// would make it longer than MaxValueBytes.
func (st *state) checkExpandedSize(s string) error {
	if n := st.expandedSize(s); n > MaxValueBytes {
		return fmt.Errorf("%w: filling in the placeholders of %q would make a text of %d bytes, more than the %d a value may have; a step that repeats a saved value (e.g. \"{x}{x}\") doubles it every time", errTooLarge, clip(s, 80), n, MaxValueBytes)
	}
	return nil
}

// checkVariablesSize refuses to save val as name when the scenario's
// variables would then hold more than MaxVariablesBytes.
func (st *state) checkVariablesSize(name, val string) error {
	total := len(name) + len(val)
	for k, v := range st.vars {
		if k != name {
			total += len(k) + len(v)
		}
	}
	if total > MaxVariablesBytes {
		return fmt.Errorf("%w: the scenario's variables would hold %d bytes, more than the %d they may have together; save smaller values, or fewer copies of a large one", errTooLarge, total, MaxVariablesBytes)
	}
	return nil
}

// checkFactsSize refuses to record val as name when the scenario's facts
// would then hold more than MaxFactsBytes.
func (st *state) checkFactsSize(name, val string) error {
	total := len(name) + len(val)
	for _, f := range st.facts {
		if f.Name != name {
			total += len(f.Name) + len(f.Value)
		}
	}
	if total > MaxFactsBytes {
		return fmt.Errorf("%w: the scenario's facts would hold %d bytes, more than the %d they may have together; record shorter values", errTooLarge, total, MaxFactsBytes)
	}
	return nil
}

// namedStep prefixes an error of these bounds with the step that hit it,
// e.g. `step I save "{x20}{x20}" as "x21": too large: …`.
func namedStep(step string, err error) error {
	if errors.Is(err, errTooLarge) {
		return fmt.Errorf("step %s: %w", clip(step, 120), err)
	}
	return err
}
