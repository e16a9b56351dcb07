package runner

import (
	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/suite"
)

// linkFallbacks gives every unsupported capability that declares fallbacks
// (@fallback: tags) one entry per fallback: the fallback capability's
// status on the same registry in this run, and whether that status was
// verified. Fallback capabilities are never selected for it: what a
// --check selects is a contract, so a fallback outside the selection is
// "not run", with the --check that judges it. An error is no verdict (the
// capability may well be there), so it gets no fallbacks.
func linkFallbacks(caps []results.Capability, s *suite.Suite, all []*suite.Scenario, mode string) {
	if s == nil {
		return
	}
	byID := map[string]results.Capability{}
	for _, c := range caps {
		byID[c.ID] = c
	}
	selected := map[string]bool{}
	for _, sc := range all {
		selected[sc.Feature.Capability] = true
	}
	for i := range caps {
		c := &caps[i]
		f := s.Feature(c.ID)
		if c.Status != results.Unsupported || f == nil || len(f.Fallbacks) == 0 {
			continue
		}
		for _, id := range f.Fallbacks {
			c.Fallbacks = append(c.Fallbacks, fallback(id, s.Feature(id), byID, selected[id], mode))
		}
	}
}

func fallback(id string, f *suite.Feature, byID map[string]results.Capability, selected bool, mode string) results.Fallback {
	fb := results.Fallback{Capability: id, Status: results.NotRun}
	if f == nil {
		fb.Hint = "the suite has no capability " + id
		return fb
	}
	fb.Check = f.Check
	verifies := !f.VerifyOnly() && hasVerify(f)
	got, ran := byID[id]
	switch {
	case !selected:
		fb.Hint = "select --check " + f.Check
		if f.VerifyOnly() && mode != config.ModeVerify {
			fb.Hint += " with --verify"
		}
	case !ran && f.VerifyOnly():
		// Only its @verify scenarios decide it, and this registry ran
		// without --verify.
		fb.Hint = "needs --verify"
	case !ran:
		fb.Hint = "not run on this registry"
	default:
		fb.Status, fb.Verified = got.Status, got.Verified != ""
		fb.Deviations = len(got.Deviations)
		if !fb.Verified && verifies {
			fb.Hint = "--verify does it"
		}
	}
	return fb
}

func hasVerify(f *suite.Feature) bool {
	for _, sc := range f.Scenarios {
		if sc.Verify {
			return true
		}
	}
	return false
}
