// Package trend compares a run with an earlier one (a baseline
// results.json): capabilities lost or gained, score and severity changes per
// registry, registries added or removed. Registries are matched by name and
// capabilities by id, the same names dashboards track history by.
package trend

import "github.com/ocicaps/ocicaps/results"

// Compare returns how current differs from baseline. baselineFile names the
// baseline for the reports. Neither run is modified.
func Compare(baseline, current *results.Run, baselineFile string) *results.Trend {
	t := &results.Trend{
		Baseline: results.Baseline{
			File:        baselineFile,
			StartedAt:   baseline.StartedAt,
			ToolVersion: baseline.Tool.Version,
		},
		Registries: []results.RegistryTrend{},
		Added:      []string{},
		Removed:    []string{},
	}
	before := map[string]*results.Registry{}
	for i := range baseline.Registries {
		r := &baseline.Registries[i]
		if _, dup := before[r.Name]; !dup { // config forbids duplicates; the first wins if a file has them
			before[r.Name] = r
		}
	}
	now := map[string]bool{}
	for _, reg := range current.Registries {
		now[reg.Name] = true
		old, ok := before[reg.Name]
		if !ok {
			t.Added = append(t.Added, reg.Name)
			continue
		}
		rt := compareRegistry(*old, reg)
		for _, c := range rt.Changes {
			switch c.Kind {
			case results.ChangeLost:
				t.Lost++
			case results.ChangeGained:
				t.Gained++
			}
		}
		t.Registries = append(t.Registries, rt)
	}
	for _, reg := range baseline.Registries {
		if !now[reg.Name] {
			t.Removed = append(t.Removed, reg.Name)
			now[reg.Name] = true // list a duplicated name once
		}
	}
	return t
}

func compareRegistry(old, cur results.Registry) results.RegistryTrend {
	rt := results.RegistryTrend{
		Name:        cur.Name,
		ScoreBefore: old.Score, MaxScoreBefore: old.MaxScore, SeverityBefore: old.Severity,
		Score: cur.Score, MaxScore: cur.MaxScore, Severity: cur.Severity,
		Changes: []results.CapabilityChange{},
	}
	was := map[string]results.Capability{}
	for _, c := range old.Capabilities {
		if _, dup := was[c.ID]; !dup {
			was[c.ID] = c
		}
	}
	seen := map[string]bool{}
	for _, c := range cur.Capabilities {
		if seen[c.ID] {
			continue
		}
		seen[c.ID] = true
		o, ok := was[c.ID]
		if !ok {
			rt.Changes = append(rt.Changes, results.CapabilityChange{ID: c.ID, Kind: results.ChangeNew, After: c.Status, Reason: reasonIfNot(c)})
			continue
		}
		if o.Status == c.Status {
			continue
		}
		ch := results.CapabilityChange{ID: c.ID, Before: o.Status, After: c.Status, Reason: reasonIfNot(c)}
		switch {
		case o.Status == results.Supported:
			ch.Kind = results.ChangeLost
		case c.Status == results.Supported:
			ch.Kind = results.ChangeGained
		default:
			ch.Kind = results.ChangeOther
		}
		rt.Changes = append(rt.Changes, ch)
	}
	for _, c := range old.Capabilities {
		if !seen[c.ID] {
			seen[c.ID] = true
			rt.Changes = append(rt.Changes, results.CapabilityChange{ID: c.ID, Kind: results.ChangeDropped, Before: c.Status})
		}
	}
	return rt
}

// reasonIfNot is the reason of a capability that is not supported: why it
// was lost is what a reader of the trend wants next.
func reasonIfNot(c results.Capability) string {
	if c.Status == results.Supported {
		return ""
	}
	return c.Reason
}

// Regressions lists "registry: capability" for every lost capability, in
// the current run's order.
func Regressions(t *results.Trend) []string {
	if t == nil {
		return nil
	}
	var out []string
	for _, r := range t.Registries {
		for _, c := range r.Changes {
			if c.Kind == results.ChangeLost {
				out = append(out, r.Name+": "+c.ID)
			}
		}
	}
	return out
}
