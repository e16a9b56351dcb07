package results

import "testing"

func TestSummarize(t *testing.T) {
	c := func(st Status, sev Severity) Capability {
		return Capability{ID: "x", Status: st, SeverityWhenMissing: sev}
	}
	cases := []struct {
		name  string
		caps  []Capability
		score int
		sev   Severity
	}{
		{"all supported", []Capability{c(Supported, Info), c(Supported, Warn)}, 2, Pass},
		{"info missing", []Capability{c(Supported, Warn), c(Unsupported, Info)}, 1, Info},
		{"warn missing beats info", []Capability{c(Unsupported, Info), c(Unsupported, Warn)}, 0, Warn},
		{"error beats everything", []Capability{c(Unsupported, Warn), c(Error, Info), c(Supported, Info)}, 1, Fail},
		{"fail when missing", []Capability{c(Unsupported, Fail)}, 0, Fail},
		{"untagged missing is info, not pass", []Capability{c(Unsupported, "")}, 0, Info},
		{"nothing selected", nil, 0, Pass},
	}
	for _, tc := range cases {
		r := Registry{Capabilities: tc.caps}
		Summarize(&r)
		if r.Score != tc.score || r.MaxScore != len(tc.caps) || r.Severity != tc.sev {
			t.Errorf("%s: %d/%d %s, want %d/%d %s", tc.name, r.Score, r.MaxScore, r.Severity, tc.score, len(tc.caps), tc.sev)
		}
	}
}

func TestDistributionVersionFromFacts(t *testing.T) {
	r := Registry{Capabilities: []Capability{{Status: Supported, Facts: []Fact{{Name: "distribution version", Value: "1.1"}}}}}
	Summarize(&r)
	if r.DistributionVersion != "1.1" {
		t.Errorf("got %q", r.DistributionVersion)
	}
}

func TestWorst(t *testing.T) {
	run := Run{Registries: []Registry{{Severity: Info}, {Severity: Warn}, {Severity: Pass}}}
	if run.Worst() != Warn {
		t.Errorf("got %s", run.Worst())
	}
}

func TestFailsAt(t *testing.T) {
	cases := []struct {
		sev, failOn Severity
		want        bool
	}{
		{Fail, "", true}, {Warn, "", false}, {Warn, "bogus", false}, // unknown threshold: the default, fail
		{Warn, Warn, true}, {Info, Warn, false}, {Fail, Warn, true},
		{Info, Info, true}, {Pass, Info, false}, {Pass, Pass, false}, // pass never fails: the threshold is at least info
	}
	for _, c := range cases {
		if got := c.sev.FailsAt(c.failOn); got != c.want {
			t.Errorf("%q.FailsAt(%q) = %v, want %v", c.sev, c.failOn, got, c.want)
		}
	}
	run := Run{FailOn: Warn, Registries: []Registry{{Name: "a", Severity: Info}, {Name: "b", Severity: Warn}, {Name: "c", Severity: Fail}}}
	if got := run.Failing(); len(got) != 2 || got[0] != "b" || got[1] != "c" {
		t.Errorf("Failing = %v, want [b c]", got)
	}
}

func TestUnreachable(t *testing.T) {
	refused := Exchange{Method: "GET", URL: "http://127.0.0.1:1/v2/", Error: "connection refused"}
	errCap := func(xs ...Exchange) Capability {
		return Capability{ID: "c", Status: Error, Reason: "GET /v2/: connection refused", Exchanges: xs}
	}
	cases := []struct {
		name string
		caps []Capability
		want bool
	}{
		{"no capability", nil, false},
		{"all refused", []Capability{errCap(refused), errCap(refused, refused)}, true},
		{"an error without a request", []Capability{errCap(refused), errCap()}, false},
		{"one answer", []Capability{errCap(refused), errCap(refused, Exchange{Status: 503})}, false},
		{"one unsupported", []Capability{errCap(refused), {ID: "u", Status: Unsupported, Exchanges: []Exchange{refused}}}, false},
	}
	for _, tc := range cases {
		reg := Registry{Capabilities: tc.caps}
		reason, got := reg.Unreachable()
		if got != tc.want || (got && reason != "GET /v2/: connection refused") {
			t.Errorf("%s: Unreachable() = %q, %v; want %v", tc.name, reason, got, tc.want)
		}
	}
}

// A deviation does not change a capability's status or the score, but a
// registry with one is at least info, so --fail-on info fails on it; a
// worse severity stays.
func TestDeviationsCountAsInfo(t *testing.T) {
	d := Deviation{Section: "Pushing blobs", Rule: "201 MUST carry Location"}
	r := Registry{Capabilities: []Capability{{Status: Supported, SeverityWhenMissing: Warn, Deviations: []Deviation{d}}}}
	Summarize(&r)
	if r.Score != 1 || r.Severity != Info || !r.Severity.FailsAt(Info) || r.Severity.FailsAt(Warn) {
		t.Errorf("score %d severity %s", r.Score, r.Severity)
	}
	r.Capabilities = append(r.Capabilities, Capability{Status: Unsupported, SeverityWhenMissing: Warn})
	Summarize(&r)
	if r.Severity != Warn || r.Deviations() != 1 {
		t.Errorf("severity %s, %d deviations", r.Severity, r.Deviations())
	}
}

func TestAddDeviationsDeduplicates(t *testing.T) {
	var c Capability
	a := Deviation{Section: "S", Rule: "R", Evidence: Evidence{Scenario: "probe"}}
	b := Deviation{Section: "S", Rule: "R", Evidence: Evidence{Scenario: "verify"}}
	c.AddDeviations(a, b, Deviation{Section: "S", Rule: "other"})
	if len(c.Deviations) != 2 || c.Deviations[0].Evidence.Scenario != "probe" {
		t.Errorf("%+v", c.Deviations)
	}
}
