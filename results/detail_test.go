package results

import (
	"errors"
	"strings"
	"testing"
)

type fullOf []Registry

func (f fullOf) Registry(i int) (Registry, error) {
	if i >= len(f) {
		return Registry{}, errors.New("gone")
	}
	return f[i], nil
}

func heavy(name string) Registry {
	return Registry{Name: name, Score: 1, MaxScore: 2, Severity: Warn,
		Capabilities: []Capability{{ID: "pull", Status: Supported, Reason: "r", Facts: []Fact{{Name: "f", Value: "v"}},
			Deviations: []Deviation{{Section: "s", Rule: "MUST"}},
			Exchanges:  []Exchange{{Method: "GET", URL: "http://x/v2/", Status: 200}}}},
		Clients:   []ClientWorkflow{{Client: "oras", Workflow: "push", Outcome: Works, Evidence: []Exchange{{Method: "GET"}}}},
		Leftovers: []Leftover{{What: "blob"}}}
}

// Light drops the exchanges and the clients' evidence and keeps the rest;
// the registry it was made from is untouched.
func TestLight(t *testing.T) {
	r := heavy("a")
	l := Light(r)
	if len(l.Capabilities[0].Exchanges) != 0 || len(l.Clients[0].Evidence) != 0 {
		t.Error("Light kept evidence")
	}
	c := l.Capabilities[0]
	if c.Status != Supported || c.Reason != "r" || len(c.Facts) != 1 || len(c.Deviations) != 1 || len(l.Leftovers) != 1 || l.Clients[0].Outcome != Works || l.Score != 1 {
		t.Errorf("Light lost a verdict: %+v", l)
	}
	if len(r.Capabilities[0].Exchanges) != 1 || len(r.Clients[0].Evidence) != 1 {
		t.Error("Light changed the registry it was given")
	}
}

// Each gives the complete registries from Details, in order, and says
// which registry could not be read back or came back as another.
func TestEachReadsDetails(t *testing.T) {
	full := fullOf{heavy("a"), heavy("b")}
	run := &Run{Registries: []Registry{Light(full[0]), Light(full[1])}, Details: full}
	var names []string
	err := run.Each(func(i int, reg *Registry) error {
		if len(reg.Capabilities[0].Exchanges) != 1 {
			t.Errorf("%s: not complete", reg.Name)
		}
		names = append(names, reg.Name)
		return nil
	})
	if err != nil || strings.Join(names, ",") != "a,b" {
		t.Errorf("Each gave %v, %v", names, err)
	}
	run.Details = fullOf{heavy("a")}
	if err := run.Each(func(int, *Registry) error { return nil }); err == nil || !strings.Contains(err.Error(), "results of b") {
		t.Errorf("a registry that cannot be read back: %v", err)
	}
	run.Details = fullOf{heavy("a"), heavy("x")}
	if _, err := run.Full(1); err == nil || !strings.Contains(err.Error(), "found x") {
		t.Errorf("another registry read back: %v", err)
	}
	run.Details = nil
	if r, err := run.Full(0); err != nil || r.Name != "a" {
		t.Errorf("Full without Details: %v %v", r.Name, err)
	}
}
