package steps

import (
	"slices"
	"sync"
)

// Which definitions a step text matches, a definition's submatches of a
// text, and an outcome's conditions split and matched are pure functions
// of the text. The suite's validation at start-up asks them of the same
// texts in several passes (Check, CheckObservations, Lint: a third of the
// start-up's CPU was these regular expressions), and every registry's
// outcome steps split the same conditions again; each answer is now worked
// out once per process. The texts are the feature files' (conditions are
// split before placeholders are filled in), so the memos hold a suite's
// worth; past memoMax texts, answers are worked out and not kept.
const memoMax = 1 << 14

type memo[V any] struct {
	mu sync.RWMutex
	m  map[string]V
	// of is what the answers depend on besides the text, when that can
	// change (a test's own vocabulary): a new one starts afresh.
	of any
}

func (c *memo[V]) get(of any, key string, work func() V) V {
	c.mu.RLock()
	v, ok := c.m[key]
	ok = ok && c.of == of
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = work()
	c.mu.Lock()
	if c.m == nil || c.of != of {
		c.m, c.of = map[string]V{}, of
	}
	if len(c.m) < memoMax {
		c.m[key] = v
	}
	c.mu.Unlock()
	return v
}

// vocabID names the vocabulary's current value (its first element and
// length), which tests replace.
type vocabID struct {
	first **Def
	n     int
}

func currentVocab() (vocabID, []*Def) {
	vocab := defs
	if len(vocab) == 0 {
		return vocabID{}, vocab
	}
	return vocabID{&vocab[0], len(vocab)}, vocab
}

var (
	matchingMemo memo[[]*Def]
	submatchMemo memo[[]string]
	splitMemo    memo[splitConditions]
)

// matching returns the definitions of the vocabulary that text matches,
// in vocabulary order. The slice is shared: callers only read it.
func matching(text string) []*Def {
	id, vocab := currentVocab()
	return matchingMemo.get(id, text, func() []*Def {
		var out []*Def
		for _, d := range vocab {
			if d.Matches(text) {
				out = append(out, d)
			}
		}
		return out
	})
}

// isVocabulary tells whether vocab is the vocabulary itself (tests pass
// others), whose matches matching knows.
func isVocabulary(vocab []*Def) bool {
	return len(vocab) == len(defs) && (len(defs) == 0 || &vocab[0] == &defs[0])
}

// submatch is d.re.FindStringSubmatch(text). The slice is shared: callers
// only read it.
func submatch(d *Def, text string) []string {
	return submatchMemo.get(nil, d.Pattern+"\x00"+text, func() []string { return d.re.FindStringSubmatch(text) })
}

type splitConditions struct {
	bound []boundCondition
	err   error
}

// parseConditions splits "A and B" into known conditions (see
// splitAndMatch). The conditions' args are shared: evaluations only read
// them.
func parseConditions(text string) ([]boundCondition, error) {
	s := splitMemo.get(nil, text, func() splitConditions {
		b, err := splitAndMatch(text)
		return splitConditions{b, err}
	})
	return slices.Clone(s.bound), s.err
}
