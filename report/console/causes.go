package console

import (
	"fmt"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// One line per cause: when several capabilities are not supported for the
// same reason (verify mode's scratch repository refused, a credential the
// registry turns down), the console says the reason once with the
// capabilities it holds for, not once per capability. results.json, JUnit
// and the HTML report keep each capability's own verdict.

// sharedMin is how many capabilities must share a cause for one line.
const sharedMin = 3

// namedMax is how many capability ids a shared line names.
const namedMax = 4

// causes maps a status and reason to the capabilities with it, for the
// causes shared by at least sharedMin capabilities.
type causes map[string][]string

func causeKey(c results.Capability) string {
	return string(c.Status) + "\x00" + c.Reason
}

func sharedCauses(caps []results.Capability) causes {
	all := causes{}
	for _, c := range caps {
		if c.Status != results.Supported && !c.Mismatch {
			all[causeKey(c)] = append(all[causeKey(c)], oneLine(c.ID))
		}
	}
	for k, ids := range all {
		if len(ids) < sharedMin {
			delete(all, k)
		}
	}
	return all
}

// line is the status line of capability id: its own, or, for the first
// capability of a shared cause, the cause's one line; nothing for the
// others of that cause.
func (cs causes) line(name, id string, c results.Capability) []string {
	ids, ok := cs[causeKey(c)]
	if !ok {
		return []string{statusLine(name, id, c)}
	}
	if ids[0] != id {
		return nil
	}
	named := strings.Join(ids[:min(len(ids), namedMax)], ", ")
	if len(ids) > namedMax {
		named += fmt.Sprintf(" and %d more", len(ids)-namedMax)
	}
	line := fmt.Sprintf("  %s: %d capabilities (%s): %s", name, len(ids), named, oneLine(string(c.Status)))
	if r := oneLine(c.Reason); r != "" {
		line += ": " + r
	}
	return []string{line}
}

// complete is registry i of run as unreachable needs it: only a registry
// whose every capability is in error needs its exchanges, which a fleet's
// run keeps on disk (results.Run.Full); the light copy does for the rest.
func complete(run *results.Run, i int) results.Registry {
	reg := run.Registries[i]
	for _, c := range reg.Capabilities {
		if c.Status != results.Error {
			return reg
		}
	}
	if full, err := run.Full(i); err == nil {
		return full
	}
	return reg
}

// unreachable is results.Registry.Unreachable that also holds when verify
// mode attempted nothing further after its preflight got no answer: every
// capability is an error, and every request made got no HTTP answer.
func unreachable(reg results.Registry) (string, bool) {
	if reason, ok := reg.Unreachable(); ok {
		return reason, true
	}
	reason := ""
	for _, c := range reg.Capabilities {
		if c.Status != results.Error {
			return "", false
		}
		for _, e := range c.Exchanges {
			if e.Error == "" || e.Status != 0 {
				return "", false
			}
			if reason == "" {
				// The request's own error: the scenarios not attempted
				// carry the preflight's request but a reason about it.
				reason = e.Method + " " + e.URL + ": " + e.Error
			}
		}
	}
	return reason, reason != ""
}

// leftoverLines name what a run left behind: one line per leftover, or,
// for a reason shared by at least sharedMin of them (a registry that
// refuses every DELETE), one line with the reason, the count and the
// first; results.json and the HTML report list every one.
func leftoverLines(reg results.Registry) []string {
	name := oneLine(reg.Name)
	count := map[string]int{}
	for _, l := range reg.Leftovers {
		count[l.Reason]++
	}
	var out []string
	said := map[string]bool{}
	for _, l := range reg.Leftovers {
		n := count[l.Reason]
		switch {
		case n < sharedMin:
			out = append(out, fmt.Sprintf("  %s: leftover: %s %s: %s",
				name, oneLine(l.What), oneLine(l.URL), oneLine(l.Reason)))
		case !said[l.Reason]:
			said[l.Reason] = true
			out = append(out, fmt.Sprintf("  %s: %d leftovers: %s (the first: %s %s; every one in results.json and report.html)",
				name, n, oneLine(l.Reason), oneLine(l.What), oneLine(l.URL)))
		}
	}
	return out
}
