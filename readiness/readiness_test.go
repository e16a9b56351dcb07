package readiness

import (
	"slices"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

func TestPredict(t *testing.T) {
	const (
		S = results.Supported
		U = results.Unsupported
		E = results.Error
	)
	attach := Workflow{Client: "oras", ID: "attach", Source: "clients/oras.feature:7",
		Needs: []string{"referrers"}, Fallbacks: []string{"referrers-tag-fallback"}, Otherwise: results.Fails,
		Settings: "", FallbackSettings: "--distribution-spec v1.1-referrers-tag", WhenItFails: "keep signatures elsewhere"}
	twoNeeds := Workflow{Client: "regctl", ID: "tag-delete", Needs: []string{"delete", "tag-delete"}, Otherwise: results.Unsafe, WhenItFails: "do not run it"}
	// A delete by digest: unsafe where the registry accepts it and keeps
	// the tag, fails where it refuses deletes altogether.
	byDigest := Workflow{Client: "crane", ID: "delete-digest", Needs: []string{"delete-manifest"}, FailsWithout: []string{"delete"}, Otherwise: results.Unsafe, WhenItFails: "delete by tag"}
	noneWhy := Workflow{Client: "oras", ID: "attach", Needs: []string{"referrers"}, Fallbacks: []string{"referrers-tag-fallback"}, Otherwise: results.Fails,
		Settings: "None", FallbackSettings: "none (oras keeps the referrer under the tag schema by itself)"}
	cases := []struct {
		name     string
		w        Workflow
		verdicts map[string]results.Status
		outcome  results.Outcome
		via      []string
		settings string
		advice   string
		reason   string // a part of it
	}{
		{"needs hold", attach, map[string]results.Status{"referrers": S, "referrers-tag-fallback": U}, results.Works, []string{"referrers"}, "", "", "supports referrers"},
		{"fallback taken", attach, map[string]results.Status{"referrers": U, "referrers-tag-fallback": S}, results.WorksWithFallback, []string{"referrers-tag-fallback"}, "--distribution-spec v1.1-referrers-tag", "use --distribution-spec v1.1-referrers-tag", "does not support referrers; it supports referrers-tag-fallback instead"},
		{"fallback when the need is in error", attach, map[string]results.Status{"referrers": E, "referrers-tag-fallback": S}, results.WorksWithFallback, []string{"referrers-tag-fallback"}, "--distribution-spec v1.1-referrers-tag", "use --distribution-spec v1.1-referrers-tag", "referrers is in error"},
		{"neither: otherwise fails", attach, map[string]results.Status{"referrers": U, "referrers-tag-fallback": U}, results.Fails, []string{"referrers", "referrers-tag-fallback"}, "", "keep signatures elsewhere", "nor its fallback referrers-tag-fallback"},
		{"neither: otherwise unsafe", twoNeeds, map[string]results.Status{"delete": U, "tag-delete": S}, results.Unsafe, []string{"delete"}, "", "do not run it", "does not support delete"},
		{"need not run", attach, map[string]results.Status{"referrers-tag-fallback": U}, results.Unknown, []string{}, "", "", "referrers was not run"},
		{"fallback in error", attach, map[string]results.Status{"referrers": U, "referrers-tag-fallback": E}, results.Unknown, []string{}, "", "", "referrers-tag-fallback is in error"},
		{"one of two needs in error", twoNeeds, map[string]results.Status{"delete": S, "tag-delete": E}, results.Unknown, []string{}, "", "", "tag-delete is in error"},
		{"no needs", Workflow{Client: "crane", ID: "copy", Otherwise: results.Fails}, nil, results.Works, []string{}, "", "", "needs no capability"},
		{"refused outright: fails", byDigest, map[string]results.Status{"delete-manifest": U, "delete": U}, results.Fails, []string{"delete-manifest", "delete"}, "", "delete by tag", "nor delete: it refuses the operation"},
		{"accepted and done wrong: unsafe", byDigest, map[string]results.Status{"delete-manifest": U, "delete": S}, results.Unsafe, []string{"delete-manifest"}, "", "delete by tag", "does not support delete-manifest"},
		{"fails-without not judged", byDigest, map[string]results.Status{"delete-manifest": U, "delete": E}, results.Unknown, []string{}, "", "", "delete is in error"},
		{"fails-without does not matter when the needs hold", byDigest, map[string]results.Status{"delete-manifest": S, "delete": U}, results.Works, []string{"delete-manifest"}, "", "", "supports delete-manifest"},
		{"settings none", noneWhy, map[string]results.Status{"referrers": S}, results.Works, []string{"referrers"}, "", "", "supports referrers"},
		{"settings none with why", noneWhy, map[string]results.Status{"referrers": U, "referrers-tag-fallback": S}, results.WorksWithFallback, []string{"referrers-tag-fallback"}, "", "no settings needed (oras keeps the referrer under the tag schema by itself)", "supports referrers-tag-fallback instead"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Predict(c.w, c.verdicts)
			if got.Predicted != c.outcome || got.Outcome != c.outcome || got.Confirmed {
				t.Errorf("outcome %s / predicted %s / confirmed %v, want %s unconfirmed", got.Outcome, got.Predicted, got.Confirmed, c.outcome)
			}
			if !slices.Equal(got.Via, c.via) || got.Settings != c.settings || got.Advice != c.advice {
				t.Errorf("via %q settings %q advice %q, want %q %q %q", got.Via, got.Settings, got.Advice, c.via, c.settings, c.advice)
			}
			if !strings.Contains(got.Reason, c.reason) {
				t.Errorf("reason %q lacks %q", got.Reason, c.reason)
			}
			if got.Client != c.w.Client || got.Workflow != c.w.ID || got.Source != c.w.Source || got.Evidence == nil {
				t.Errorf("identity or evidence: %+v", got)
			}
		})
	}
}

func TestConfirm(t *testing.T) {
	w := Workflow{Client: "oras", ID: "attach", Source: "clients/oras.feature:7", Needs: []string{"referrers"},
		Fallbacks: []string{"referrers-tag-fallback"}, Otherwise: results.Fails, FallbackSettings: "--distribution-spec v1.1-referrers-tag", WhenItFails: "keep signatures elsewhere"}
	works := Predict(w, map[string]results.Status{"referrers": results.Supported})
	fallback := Predict(w, map[string]results.Status{"referrers": results.Unsupported, "referrers-tag-fallback": results.Supported})
	unknown := Predict(w, nil)
	cases := []struct {
		name      string
		p         results.ClientWorkflow
		run       Run
		outcome   results.Outcome
		confirmed bool
		mismatch  bool
		reason    string
		settings  string
	}{
		{"agrees", works, Run{Outcome: results.Works, Confirmed: true, Reason: "attached"}, results.Works, true, false, "attached", ""},
		{"not installed keeps the prediction", fallback, Run{Reason: "oras is not installed"}, results.WorksWithFallback, false, false, "not confirmed: oras is not installed", "--distribution-spec v1.1-referrers-tag"},
		{"an error is unknown", works, Run{Outcome: results.Unknown, Reason: "the run could not decide: 503", Egress: []string{"CONNECT x.test:443"}}, results.Unknown, false, false, "oras tried to reach CONNECT x.test:443", ""},
		{"disagreement names the file", works, Run{Outcome: results.WorksWithFallback, Confirmed: true, Reason: "tag schema"}, results.WorksWithFallback, true, true, "fix the workflow at clients/oras.feature:7", "--distribution-spec v1.1-referrers-tag"},
		{"unsafe with egress is the sink's doing", fallback, Run{Outcome: results.Unsafe, Confirmed: true, Reason: "lost", Egress: []string{"CONNECT cdn.test:443"}}, results.Unknown, false, false, "oras needed cdn.test:443, which the run does not allow", "--distribution-spec v1.1-referrers-tag"},
		{"fails with egress is the sink's doing", works, Run{Outcome: results.Fails, Confirmed: true, Reason: "no TUF root", Egress: []string{"CONNECT tuf.test:443", "GET 127.0.0.2:80"}}, results.Unknown, false, false, "oras needed tuf.test:443, 127.0.0.2:80, which the run does not allow", ""},
		{"works with egress stays works", works, Run{Outcome: results.Works, Confirmed: true, Reason: "attached", Egress: []string{"CONNECT cdn.test:443"}}, results.Works, true, false, "attached", ""},
		{"an unknown prediction is no mismatch", unknown, Run{Outcome: results.Works, Confirmed: true, Reason: "attached"}, results.Works, true, false, "attached", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Confirm(w, c.p, c.run)
			if got.Outcome != c.outcome || got.Confirmed != c.confirmed || got.Mismatch != c.mismatch || got.Predicted != c.p.Predicted {
				t.Errorf("outcome %s confirmed %v mismatch %v predicted %s", got.Outcome, got.Confirmed, got.Mismatch, got.Predicted)
			}
			if !strings.Contains(got.Reason, c.reason) || got.Settings != c.settings {
				t.Errorf("reason %q (want %q), settings %q (want %q)", got.Reason, c.reason, got.Settings, c.settings)
			}
		})
	}
}
