// Package history follows every registry × capability over many runs (the
// results.json of nightly runs, in any order): a timeline of verdicts, how
// often the verdict changed, whether the cell is flaky or changed once (a
// regression or an improvement, with the run where it first appeared), when
// it was last verified and by which ocicaps version, and whether that is too
// long ago (stale). The rules and thresholds are documented in
// docs/reports.md ("history.json"); writers live in report/historyreport.
package history

import (
	"cmp"
	"slices"
	"time"

	"github.com/ocicaps/ocicaps/results"
)

// SchemaVersion is the version of the history.json schema
// (docs/reports.md). Bump the minor for added fields, the major for removed
// or renamed ones.
const SchemaVersion = "1.0"

// The default thresholds, documented in docs/reports.md.
const (
	// DefaultFlakyChanges: a verdict that changed this many times or more
	// in the window is flaky. Three changes is the smallest number that is
	// not a loss and its fix (two) followed by another loss: something
	// that comes and goes, not something that was broken and repaired.
	DefaultFlakyChanges = 3
	// DefaultStaleDays: a cell last verified longer ago than this, counted
	// from the newest run, is stale: a week of nightly runs without an
	// answer about the capability.
	DefaultStaleDays = 7
)

// Kind says how a cell's verdict moved over the window.
type Kind string

const (
	// Stable: the same verdict in every run that has the cell.
	Stable Kind = "stable"
	// Flaky: the verdict changed at least Options.FlakyChanges times.
	Flaky Kind = "flaky"
	// Regression: fewer changes than flaky, the last one away from
	// supported.
	Regression Kind = "regression"
	// Improvement: fewer changes than flaky, the last one to supported.
	Improvement Kind = "improvement"
	// Changed: fewer changes than flaky, the last one between unsupported
	// and error.
	Changed Kind = "changed"
)

// Options are the thresholds; zero values mean the defaults.
type Options struct {
	// FlakyChanges is the number of changes from which a cell is flaky.
	FlakyChanges int
	// StaleDays is the age in days, counted from the newest run, past
	// which a cell's last verification is stale.
	StaleDays int
	// Tool names the program that builds the history.
	Tool results.Tool
}

// Input is one run read from a results.json.
type Input struct {
	File string
	Run  *results.Run
}

// History is the model of history.json.
type History struct {
	SchemaVersion string       `json:"schemaVersion"`
	Tool          results.Tool `json:"tool"`
	// AsOf is the start of the newest run: staleness is counted from it,
	// so the same runs always give the same history.
	AsOf         time.Time         `json:"asOf"`
	FlakyChanges int               `json:"flakyChanges"`
	StaleDays    int               `json:"staleDays"`
	Runs         []RunRef          `json:"runs"`
	Counts       Counts            `json:"counts"`
	Registries   []RegistryHistory `json:"registries"`
}

// RunRef identifies one run of the window; runs are in time order and
// cells refer to them by index.
type RunRef struct {
	File          string    `json:"file"`
	StartedAt     time.Time `json:"startedAt"`
	ToolVersion   string    `json:"toolVersion"`
	SchemaVersion string    `json:"schemaVersion"`
	Incomplete    bool      `json:"incomplete"`
}

// Counts add up the cells by kind, and the stale ones.
type Counts struct {
	Cells        int `json:"cells"`
	Flaky        int `json:"flaky"`
	Regressions  int `json:"regressions"`
	Improvements int `json:"improvements"`
	Changed      int `json:"changed"`
	Stale        int `json:"stale"`
}

// RegistryHistory is one registry's cells.
type RegistryHistory struct {
	Name string `json:"name"`
	// DistributionVersion is what the registry advertised in the newest
	// run that has it.
	DistributionVersion string `json:"distributionVersion,omitempty"`
	Capabilities        []Cell `json:"capabilities"`
}

// Cell is one capability of one registry over the window.
type Cell struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Statuses has one verdict per run, in the order of History.Runs; ""
	// where the run did not have the cell, or was interrupted and has it
	// in error.
	Statuses []results.Status `json:"statuses"`
	// Changes counts the changes of verdict between consecutive runs that
	// have the cell.
	Changes int  `json:"changes"`
	Kind    Kind `json:"kind"`
	// Current is the verdict of the newest run that has the cell, Reason
	// its reason when it is not supported, Deviations its number of
	// deviations from the spec.
	Current    results.Status `json:"current"`
	Reason     string         `json:"reason,omitempty"`
	Deviations int            `json:"deviations"`
	// Since is the first run of the current verdict, for every kind but
	// stable: where a regression or an improvement first appeared.
	Since *Point `json:"since,omitempty"`
	// LastVerified is the newest run that answered about the capability
	// (supported or unsupported; an error is no answer). Absent when no
	// run did.
	LastVerified *Point `json:"lastVerified,omitempty"`
	// Stale is true when LastVerified is absent or older than StaleDays
	// before AsOf.
	Stale bool `json:"stale"`
}

// Point is one run of the window as a cell refers to it.
type Point struct {
	Run         int       `json:"run"`
	StartedAt   time.Time `json:"startedAt"`
	ToolVersion string    `json:"toolVersion"`
}

// Build orders the runs by start time (then file name) and follows every
// registry × capability through them. Registries and capabilities come in
// the order of the newest run that has them.
func Build(inputs []Input, opt Options) *History {
	opt = withDefaults(opt)
	ins := slices.Clone(inputs)
	slices.SortStableFunc(ins, func(a, b Input) int {
		return cmp.Or(a.Run.StartedAt.Compare(b.Run.StartedAt), cmp.Compare(a.File, b.File))
	})
	h := &History{
		SchemaVersion: SchemaVersion, Tool: opt.Tool,
		FlakyChanges: opt.FlakyChanges, StaleDays: opt.StaleDays,
		Runs: []RunRef{}, Registries: []RegistryHistory{},
	}
	for _, in := range ins {
		h.Runs = append(h.Runs, RunRef{File: in.File, StartedAt: in.Run.StartedAt,
			ToolVersion: in.Run.Tool.Version, SchemaVersion: in.Run.SchemaVersion, Incomplete: in.Run.Incomplete})
	}
	if len(ins) > 0 {
		h.AsOf = ins[len(ins)-1].Run.StartedAt
	}
	for _, name := range registryOrder(ins) {
		h.Registries = append(h.Registries, h.registry(ins, name))
	}
	for _, r := range h.Registries {
		for _, c := range r.Capabilities {
			h.Counts.add(c)
		}
	}
	return h
}

func withDefaults(opt Options) Options {
	if opt.FlakyChanges < 1 {
		opt.FlakyChanges = DefaultFlakyChanges
	}
	if opt.StaleDays < 1 {
		opt.StaleDays = DefaultStaleDays
	}
	return opt
}

func (c *Counts) add(cell Cell) {
	c.Cells++
	switch cell.Kind {
	case Flaky:
		c.Flaky++
	case Regression:
		c.Regressions++
	case Improvement:
		c.Improvements++
	case Changed:
		c.Changed++
	}
	if cell.Stale {
		c.Stale++
	}
}

// registryOrder lists the registry names, newest run first.
func registryOrder(ins []Input) []string {
	var names []string
	seen := map[string]bool{}
	for i := len(ins) - 1; i >= 0; i-- {
		for _, reg := range ins[i].Run.Registries {
			if !seen[reg.Name] {
				seen[reg.Name] = true
				names = append(names, reg.Name)
			}
		}
	}
	return names
}

// find returns the registry name of run, the first of that name.
func find(run *results.Run, name string) *results.Registry {
	for i := range run.Registries {
		if run.Registries[i].Name == name {
			return &run.Registries[i]
		}
	}
	return nil
}

func (h *History) registry(ins []Input, name string) RegistryHistory {
	rh := RegistryHistory{Name: name, Capabilities: []Cell{}}
	// Per run, the registry's entry (nil where the run lacks it).
	regs := make([]*results.Registry, len(ins))
	var ids []string
	seen := map[string]bool{}
	for i := len(ins) - 1; i >= 0; i-- {
		regs[i] = find(ins[i].Run, name)
		if regs[i] == nil {
			continue
		}
		if rh.DistributionVersion == "" {
			rh.DistributionVersion = regs[i].DistributionVersion
		}
		for _, c := range regs[i].Capabilities {
			if !seen[c.ID] {
				seen[c.ID] = true
				ids = append(ids, c.ID)
			}
		}
	}
	for _, id := range ids {
		rh.Capabilities = append(rh.Capabilities, h.cell(regs, id))
	}
	return rh
}

// cell follows capability id through the runs of one registry.
func (h *History) cell(regs []*results.Registry, id string) Cell {
	c := Cell{ID: id, Statuses: make([]results.Status, len(regs)), Kind: Stable}
	prev := -1     // the previous run with the cell, while walking
	sinceRun := -1 // the first run of the current verdict
	var lastChange [2]results.Status
	for i, reg := range regs {
		if reg == nil {
			continue
		}
		cap, ok := reg.Capability(id)
		if !ok || (h.Runs[i].Incomplete && cap.Status == results.Error) {
			// An interrupted run reports what it did not probe as errors:
			// that says nothing about the registry, so it is no verdict.
			continue
		}
		c.Statuses[i] = cap.Status
		c.Name, c.Current, c.Deviations = cap.Name, cap.Status, len(cap.Deviations)
		c.Reason = ""
		if cap.Status != results.Supported {
			c.Reason = cap.Reason
		}
		if prev >= 0 && c.Statuses[prev] != cap.Status {
			c.Changes++
			lastChange = [2]results.Status{c.Statuses[prev], cap.Status}
			sinceRun = i
		}
		if cap.Status == results.Supported || cap.Status == results.Unsupported {
			c.LastVerified = h.point(i)
		}
		prev = i
	}
	c.Kind = kind(c.Changes, h.FlakyChanges, lastChange)
	if c.Kind != Stable {
		c.Since = h.point(sinceRun)
	}
	limit := time.Duration(h.StaleDays) * 24 * time.Hour
	c.Stale = c.LastVerified == nil || h.AsOf.Sub(c.LastVerified.StartedAt) > limit
	return c
}

func kind(changes, flaky int, last [2]results.Status) Kind {
	switch {
	case changes == 0:
		return Stable
	case changes >= flaky:
		return Flaky
	case last[0] == results.Supported:
		return Regression
	case last[1] == results.Supported:
		return Improvement
	}
	return Changed
}

func (h *History) point(i int) *Point {
	r := h.Runs[i]
	return &Point{Run: i, StartedAt: r.StartedAt, ToolVersion: r.ToolVersion}
}
