package steps

import (
	"sort"
	"strconv"
)

// memory is what a scenario remembers from one step to the next: its
// variables ({repository}, saved headers and fields, {bodyDigest}) and the
// bodies it saved for later requests and comparisons.
type memory struct {
	vars  map[string]string
	saved map[string][]byte // response bodies and random bytes saved by name
}

func newMemory(vars map[string]string) memory {
	return memory{vars: vars, saved: map[string][]byte{}}
}

// keep saves bytes under name with their digest and size as variables.
func (m *memory) keep(name string, b []byte) {
	m.saved[name] = b
	m.vars[name+".digest"] = digestOf(b)
	m.vars[name+".sha512"] = digestWith("sha512", b)
	m.vars[name+".size"] = strconv.Itoa(len(b))
}

// names lists the variables set so far, sorted.
func (m *memory) names() []string {
	out := make([]string, 0, len(m.vars))
	for k := range m.vars {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// known lists the variables set so far as {name}, sorted, for an error
// about one that is not.
func (m *memory) known() []string {
	out := m.names()
	for i, k := range out {
		out[i] = "{" + k + "}"
	}
	return out
}
