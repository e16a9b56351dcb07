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
	var problems []string
	for _, x := range in {
		if x.Run == nil {
			return nil, fmt.Errorf("shard: merge: %s: no run", x.File)
		}
		if x.Run.Shard == nil {
			problems = append(problems, fmt.Sprintf("%s: not the results of a shard (no \"shard\" field); write them with `ocicaps run --shard K/N`", x.File))
		}
	}
	if len(problems) > 0 {
		return nil, &MergeError{Problems: problems}
	}
	sorted := append([]Input(nil), in...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Run.Shard.Index < sorted[j].Run.Shard.Index })
	ref := sorted[0].Run
	// Each field that must be equal is checked over all shards; a
	// difference lists every value with the files that hold it.
	same := func(what string, get func(*results.Run) string) {
		var values []string
		files := map[string][]string{}
		for _, x := range sorted {
			v := get(x.Run)
			if _, ok := files[v]; !ok {
				values = append(values, v)
			}
			files[v] = append(files[v], x.File)
		}
		if len(values) > 1 {
			parts := make([]string, len(values))
			for i, v := range values {
				parts[i] = fmt.Sprintf("%q in %s", v, strings.Join(files[v], ", "))
			}
			problems = append(problems, fmt.Sprintf("the shards differ in %s: %s", what, strings.Join(parts, "; ")))
		}
	}
	same("schemaVersion", func(r *results.Run) string { return r.SchemaVersion })
	same("tool", func(r *results.Run) string { return r.Tool.Name + " " + r.Tool.Version })
	same("configFile", func(r *results.Run) string { return r.ConfigFile })
	same("suite", func(r *results.Run) string { return r.Suite })
	same("selection", func(r *results.Run) string { return r.Selection })
	same("failOn", func(r *results.Run) string { return string(r.FailOn) })
	same("failOnRegression", func(r *results.Run) string { return fmt.Sprint(r.FailOnRegression) })
	same("shard count", func(r *results.Run) string { return fmt.Sprint(r.Shard.Count) })
	same("registry list", func(r *results.Run) string {
		return fmt.Sprintf("%d registries, %s", r.Shard.Total, r.Shard.ListDigest)
	})
	if len(problems) > 0 {
		return nil, &MergeError{Problems: problems}
	}

	n := ref.Shard.Count
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
	if len(problems) > 0 {
		return nil, &MergeError{Problems: problems}
	}

	merged := *ref
	merged.Shard = nil
	merged.Registries = nil
	// A shard's trend compares only its share with the whole baseline (the
	// other shards' registries look removed); it says nothing true about
	// the merged run, so it is left out.
	merged.Trend = nil
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
	sort.SliceStable(merged.Registries, func(i, j int) bool { return merged.Registries[i].Index < merged.Registries[j].Index })
	names := make([]string, len(merged.Registries))
	for i, reg := range merged.Registries {
		names[i] = reg.Name
	}
	if len(problems) == 0 && ListDigest(names) != ref.Shard.ListDigest {
		problems = append(problems, fmt.Sprintf("the shards hold %d registries (%s) that are not the %d registries they were cut from; was a shard run with another registries.yaml or --registry?",
			len(names), strings.Join(names, ", "), ref.Shard.Total))
	}
	if len(problems) > 0 {
		return nil, &MergeError{Problems: problems}
	}
	merged.DurationMS = merged.FinishedAt.Sub(merged.StartedAt).Milliseconds()
	return &merged, nil
}

// IsMergeError reports whether err says the inputs do not fit together (a
// usage error), as opposed to a failure to read them.
func IsMergeError(err error) bool {
	var me *MergeError
	return errors.As(err, &me)
}
