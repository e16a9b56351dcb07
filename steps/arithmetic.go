package steps

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Steps authors reached for and did not find (issue 24 item 12): a number
// saved plus N (to resume an upload from the Range the registry
// reported), bytes from an offset to the end of a saved body, a fact
// recorded only when conditions hold, a blob's size with its digest.

// saveNumberPlus saves the integer text (placeholders allowed) plus n.
func (st *state) saveNumberPlus(_ context.Context, text string, n int64, v string) error {
	val, err := st.expand(text)
	if err != nil {
		return err
	}
	return st.savePlus(val, n, v, fmt.Sprintf("%q", text))
}

// saveHeaderMatchPlus saves what the regular expression captures in the
// header's value, an integer, plus n.
func (st *state) saveHeaderMatchPlus(ctx context.Context, name, expr string, n int64, v string) error {
	if err := st.saveHeaderMatch(ctx, name, expr, v); err != nil {
		return err
	}
	return st.savePlus(st.vars[v], n, v, "what "+expr+" captured in header "+name)
}

func (st *state) savePlus(val string, n int64, v, what string) error {
	x, err := strconv.ParseInt(strings.TrimSpace(val), 10, 64)
	if err != nil {
		delete(st.vars, v)
		return fmt.Errorf("%s is %q, not a whole number", what, clip(val, 100))
	}
	if (n > 0 && x > maxInt64-n) || (n < 0 && x < minInt64-n) {
		delete(st.vars, v)
		return fmt.Errorf("%s is %d: adding %d overflows", what, x, n)
	}
	st.vars[v] = strconv.FormatInt(x+n, 10)
	return nil
}

const (
	maxInt64 = int64(^uint64(0) >> 1)
	minInt64 = -maxInt64 - 1
)

// bodyFrom sets the next request's body to a saved body from byte from
// (placeholders allowed, e.g. {next}) to its end.
func (st *state) bodyFrom(_ context.Context, from, name string) error {
	b, ok := st.saved[name]
	if !ok {
		return fmt.Errorf("no saved body %q: save one first (I save 3000 random bytes as %q)", name, name)
	}
	f, err := st.expand(from)
	if err != nil {
		return err
	}
	i, err := strconv.Atoi(strings.TrimSpace(f))
	if err != nil || i < 0 || i > len(b) {
		return fmt.Errorf("byte %q is not an offset within the %d saved bytes of %q", f, len(b), name)
	}
	st.setBody(b[i:])
	return nil
}

// recordWhen records a fact only when the conditions hold for the current
// response: to name which of several behaviours a registry showed.
func (st *state) recordWhen(ctx context.Context, text, name, conds string) error {
	ok, err := st.holds(conds)
	if err != nil || !ok {
		return err
	}
	return st.recordText(ctx, text, name)
}

// saveBlobAndSizeOfManifest saves a blob digest of the manifest as v and
// its size, from the manifest's descriptor, as {v.size}.
func (st *state) saveBlobAndSizeOfManifest(ctx context.Context, ref, v string) error {
	d, size, err := st.blobDescriptorOfManifest(ctx, ref)
	if err != nil {
		return err
	}
	st.vars[v] = d
	st.vars[v+".size"] = strconv.FormatInt(size, 10)
	return nil
}
