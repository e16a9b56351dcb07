package shard

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/ocicaps/ocicaps/results"
)

// Input is one shard's results and the file it came from, for messages.
type Input struct {
	File string
	Run  *results.Run
}

// MergeError is a set of shard files that cannot be merged: each problem
// names the file and what differs.
type MergeError struct{ Problems []string }

func (e *MergeError) Error() string {
	return "the shard results cannot be merged:\n  " + strings.Join(e.Problems, "\n  ")
}

// Merge combines the results of every shard of one sharded run into the
// run a single machine would have reported: the registries in run order
// (by Index), the run's time span from the first start to the last finish,
// incomplete when any shard was, and no shard record. Everything else about
// the run (tool, configuration, suite, selection, and fields a later schema
// adds) is taken from shard 1 after checking that the shards agree on what
// a single run would hold once.
//
// It refuses, with every problem named, files that are not shard results,
// shards of different runs (schema, tool, configuration, suite, selection,
// count or registry list differ), a shard given twice or missing, and
// registries that do not add up to the list the shards were cut from.
func Merge(in []Input) (*results.Run, error) {
	if len(in) == 0 {
		return nil, &MergeError{Problems: []string{"no shard results given"}}
	}
	for _, x := range in {
		if x.Run == nil {
			return nil, fmt.Errorf("shard: merge: %s: no run", x.File)
		}
	}
	sorted := append([]Input(nil), in...)
	// Each check runs only when the ones before passed: a later one relies
	// on what an earlier one proved (a shard record, one count, one list).
	for _, check := range []func([]Input) []string{areShards, sortAndAgree, complete} {
		if problems := check(sorted); len(problems) > 0 {
			return nil, &MergeError{Problems: problems}
		}
	}
	merged, problems := combine(sorted)
	if len(problems) > 0 {
		return nil, &MergeError{Problems: problems}
	}
	return merged, nil
}

func areShards(in []Input) []string {
	var problems []string
	for _, x := range in {
		if x.Run.Shard == nil {
			problems = append(problems, fmt.Sprintf("%s: not the results of a shard (no \"shard\" field); write them with `ocicaps run --shard K/N`", x.File))
		}
	}
	return problems
}

// sortAndAgree puts the shards in index order and checks that they agree
// on everything a single run holds once.
func sortAndAgree(sorted []Input) []string {
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Run.Shard.Index < sorted[j].Run.Shard.Index })
	fields := []struct {
		what string
		get  func(*results.Run) string
	}{
		{"schemaVersion", func(r *results.Run) string { return r.SchemaVersion }},
		{"tool", func(r *results.Run) string { return r.Tool.Name + " " + r.Tool.Version }},
		{"configFile", func(r *results.Run) string { return r.ConfigFile }},
		{"suite", func(r *results.Run) string { return r.Suite }},
		{"selection", func(r *results.Run) string { return r.Selection }},
		{"failOn", func(r *results.Run) string { return string(r.FailOn) }},
		{"failOnRegression", func(r *results.Run) string { return fmt.Sprint(r.FailOnRegression) }},
		{"shard count", func(r *results.Run) string { return fmt.Sprint(r.Shard.Count) }},
		{"registry list", func(r *results.Run) string {
			return fmt.Sprintf("%d registries, %s", r.Shard.Total, r.Shard.ListDigest)
		}},
	}
	var problems []string
	for _, f := range fields {
		if p := differ(sorted, f.what, f.get); p != "" {
			problems = append(problems, p)
		}
	}
	return problems
}

// differ checks one field over all shards; a difference lists every value
// with the files that hold it.
func differ(in []Input, what string, get func(*results.Run) string) string {
	var values []string
	files := map[string][]string{}
	for _, x := range in {
		v := get(x.Run)
		if _, ok := files[v]; !ok {
			values = append(values, v)
		}
		files[v] = append(files[v], x.File)
	}
	if len(values) < 2 {
		return ""
	}
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprintf("%q in %s", v, strings.Join(files[v], ", "))
	}
	return fmt.Sprintf("the shards differ in %s: %s", what, strings.Join(parts, "; "))
}

// complete checks that every shard 1..N is given exactly once.
func complete(sorted []Input) []string {
	n := sorted[0].Run.Shard.Count
	var problems []string
	seen := map[int]string{}
	for _, x := range sorted {
		k := x.Run.Shard.Index
		if prev, dup := seen[k]; dup {
			problems = append(problems, fmt.Sprintf("shard %d/%d is given twice: %s and %s", k, n, prev, x.File))
			continue
		}
		seen[k] = x.File
	}
	for k := 1; k <= n; k++ {
		if _, ok := seen[k]; !ok {
			problems = append(problems, fmt.Sprintf("shard %d/%d is missing: every shard's results.json is needed", k, n))
		}
	}
	return problems
}

// combine builds the merged run from shards that agree and are complete,
// and checks that their registries add up to the list they were cut from.
func combine(sorted []Input) (*results.Run, []string) {
	ref := sorted[0].Run
	merged := *ref
	merged.Shard = nil
	merged.Registries = nil
	// A shard's trend compares only its share with the whole baseline (the
	// other shards' registries look removed); it says nothing true about
	// the merged run, so it is left out.
	merged.Trend = nil
	var problems []string
	from := map[string]string{}
	for _, x := range sorted {
		r := x.Run
		if r.StartedAt.Before(merged.StartedAt) {
			merged.StartedAt = r.StartedAt
		}
		if r.FinishedAt.After(merged.FinishedAt) {
			merged.FinishedAt = r.FinishedAt
		}
		merged.Incomplete = merged.Incomplete || r.Incomplete
		for _, reg := range r.Registries {
			if prev, dup := from[reg.Name]; dup {
				problems = append(problems, fmt.Sprintf("registry %s is in %s and in %s", reg.Name, prev, x.File))
				continue
			}
			from[reg.Name] = x.File
			merged.Registries = append(merged.Registries, reg)
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	sort.SliceStable(merged.Registries, func(i, j int) bool { return merged.Registries[i].Index < merged.Registries[j].Index })
	if p := listProblem(merged.Registries, ref.Shard); p != "" {
		return nil, []string{p}
	}
	merged.DurationMS = merged.FinishedAt.Sub(merged.StartedAt).Milliseconds()
	return &merged, nil
}

func listProblem(regs []results.Registry, s *results.Shard) string {
	names := make([]string, len(regs))
	for i, reg := range regs {
		names[i] = reg.Name
	}
	if ListDigest(names) == s.ListDigest {
		return ""
	}
	return fmt.Sprintf("the shards hold %d registries (%s) that are not the %d registries they were cut from; was a shard run with another registries.yaml or --registry?",
		len(names), strings.Join(names, ", "), s.Total)
}

// IsMergeError reports whether err says the inputs do not fit together (a
// usage error), as opposed to a failure to read them.
func IsMergeError(err error) bool {
	var me *MergeError
	return errors.As(err, &me)
}
