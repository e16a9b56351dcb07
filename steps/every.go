package steps

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/steps/jsonpath"
)

// Conditions about every response of a scenario, not only the current
// one: a rule the spec sets on every answer (the Warning headers) is
// judged on what the scenario's requests already got, with no request of
// its own.

// everyResponse turns a condition's first (the first response breaking
// it) into its eval.
func everyResponse(first func(*state, []string) (int, string, error)) func(*state, *client.Response, []string) (bool, string, error) {
	return func(st *state, _ *client.Response, a []string) (bool, string, error) {
		i, obs, err := first(st, a)
		return err == nil && i < 0, obs, err
	}
}

// firstHeaderNotMatching finds the first response with a value of header
// a[0] that the regular expression a[1] does not match.
func firstHeaderNotMatching(st *state, a []string) (int, string, error) {
	re, err := regexp.Compile(a[1])
	if err != nil {
		return -1, "", fmt.Errorf("bad regular expression %q: %w", a[1], err)
	}
	n := 0
	for i, rc := range st.received {
		for _, v := range rc.resp.Header.Values(a[0]) {
			n++
			if !re.MatchString(v) {
				return i, fmt.Sprintf("%s has header %s %s", st.receivedName(i), a[0], strconv.Quote(clip(v, 200))), nil
			}
		}
	}
	if n == 0 {
		return -1, fmt.Sprintf("no header %s in %s", a[0], count(len(st.received), "response")), nil
	}
	return -1, fmt.Sprintf("%s of header %s in %s, all matching", count(n, "line"), a[0], count(len(st.received), "response")), nil
}

// firstHeaderTooLong finds the first response whose values of header a[1]
// add up to more than a[0] bytes.
func firstHeaderTooLong(st *state, a []string) (int, string, error) {
	limit, err := strconv.Atoi(a[0])
	if err != nil {
		return -1, "", fmt.Errorf("byte count %q: %w", a[0], err)
	}
	most := 0
	for i, rc := range st.received {
		vs := rc.resp.Header.Values(a[1])
		size := 0
		for _, v := range vs {
			size += len(v)
		}
		if size > limit {
			return i, fmt.Sprintf("%s carries %s of header %s in %s", st.receivedName(i), count(size, "byte"), a[1], count(len(vs), "line")), nil
		}
		most = max(most, size)
	}
	return -1, fmt.Sprintf("at most %s of header %s in each of %s", count(most, "byte"), a[1], count(len(st.received), "response")), nil
}

// culprit is the evidence of a deviation recorded by conditions: the first
// response that breaks a condition about every response, else the current
// exchange.
func (st *state) culprit(conds []boundCondition) results.Evidence {
	for _, bc := range conds {
		if bc.c.first == nil {
			continue
		}
		if i, _, err := bc.c.first(st, bc.args); err == nil && i >= 0 {
			return st.receivedEvidence(i)
		}
	}
	return st.lastEvidence()
}

// jsonListOnlyMatching holds when every item of the list at a[0] has a
// field a[1] whose value matches the regular expression a[2].
func jsonListOnlyMatching(_ *state, r *client.Response, a []string) (bool, string, error) {
	re, err := regexp.Compile(a[2])
	if err != nil {
		return false, "", fmt.Errorf("bad regular expression %q: %w", a[2], err)
	}
	items, why, err := jsonList(r, a[0])
	if items == nil {
		return false, why, err
	}
	for i, it := range items {
		v, ok := jsonpath.Lookup(it, a[1])
		if !ok {
			return false, fmt.Sprintf("item %d of %s has no %s", i, a[0], a[1]), nil
		}
		if got := jsonpath.Render(v); !re.MatchString(got) {
			return false, fmt.Sprintf("item %d of %s has %s %s", i, a[0], a[1], strconv.Quote(clip(got, 120))), nil
		}
	}
	return true, fmt.Sprintf("every %s of the %s of %s matches", a[1], count(len(items), "item"), a[0]), nil
}
