package runner

import (
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/suite"
)

func fbSuite(t *testing.T) *suite.Suite {
	t.Helper()
	probe := "  Scenario: p\n    When I send a GET request to \"/v2/\"\n    Then the capability is supported when the status is 200\n"
	verify := "  @verify\n  Scenario: v\n    When I send a GET request to \"/v2/\"\n    Then the capability is supported when the status is 200\n"
	feat := func(id, check, tags, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("@capability:" + id + " @check:" + check + " @severity:info " + tags + "\nFeature: " + id + "\n" + body)}
	}
	s, problems := suite.Load(fstest.MapFS{
		"a.feature": feat("main", "check.t.a", "@fallback:both @fallback:vonly @fallback:other @fallback:absent", probe),
		"b.feature": feat("both", "check.t.a", "", probe+verify),
		"c.feature": feat("vonly", "check.t.a", "", verify),
		"d.feature": feat("other", "check.t.b", "", probe),
	}, "test")
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	return s
}

func TestLinkFallbacks(t *testing.T) {
	s := fbSuite(t)
	all := s.Select("@check:check.t.a")
	cases := []struct {
		mode string
		caps []results.Capability
		want []results.Fallback
	}{
		{config.ModeVerify, []results.Capability{
			{ID: "main", Status: results.Unsupported},
			{ID: "both", Status: results.Supported, Probe: results.Supported, Verified: results.Supported,
				Deviations: []results.Deviation{{Section: "Pushing blobs", Rule: "a 201 MUST carry Location"}}},
			{ID: "vonly", Status: results.Unsupported, Verified: results.Unsupported},
		}, []results.Fallback{
			{Capability: "both", Check: "check.t.a", Status: results.Supported, Verified: true, Deviations: 1},
			{Capability: "vonly", Check: "check.t.a", Status: results.Unsupported, Verified: true},
			{Capability: "other", Check: "check.t.b", Status: results.NotRun, Hint: "select --check check.t.b"},
			{Capability: "absent", Status: results.NotRun, Hint: "the suite has no capability absent"},
		}},
		{config.ModeProbe, []results.Capability{
			{ID: "main", Status: results.Unsupported},
			{ID: "both", Status: results.Error},
		}, []results.Fallback{
			{Capability: "both", Check: "check.t.a", Status: results.Error, Hint: "--verify does it"},
			{Capability: "vonly", Check: "check.t.a", Status: results.NotRun, Hint: "needs --verify"},
			{Capability: "other", Check: "check.t.b", Status: results.NotRun, Hint: "select --check check.t.b"},
			{Capability: "absent", Status: results.NotRun, Hint: "the suite has no capability absent"},
		}},
	}
	for _, c := range cases {
		linkFallbacks(c.caps, s, all, c.mode)
		if !reflect.DeepEqual(c.caps[0].Fallbacks, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.mode, c.caps[0].Fallbacks, c.want)
		}
		for _, o := range c.caps[1:] {
			if o.Fallbacks != nil {
				t.Errorf("%s: %s declares no fallbacks but has %+v", c.mode, o.ID, o.Fallbacks)
			}
		}
	}
	// Supported and error capabilities get none: only a missing one needs
	// a way around it.
	for _, st := range []results.Status{results.Supported, results.Error} {
		caps := []results.Capability{{ID: "main", Status: st}}
		linkFallbacks(caps, s, all, config.ModeVerify)
		if caps[0].Fallbacks != nil {
			t.Errorf("%s capability got fallbacks %+v", st, caps[0].Fallbacks)
		}
	}
	// An unselected verify-only fallback in a probe run needs both.
	s2 := fbSuite(t)
	caps := []results.Capability{{ID: "main", Status: results.Unsupported}}
	linkFallbacks(caps, s2, s2.Select("@capability:main"), config.ModeProbe)
	if got := caps[0].Fallbacks[1].Hint; got != "select --check check.t.a with --verify" {
		t.Errorf("unselected verify-only hint %q", got)
	}
}
