package history

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/ocicaps/ocicaps/report/jsonfile"
)

// ResultsFile is the name a folder argument is searched for.
const ResultsFile = "results.json"

// Files resolves the arguments of `ocicaps history`: a file is taken as
// it is, a folder stands for every results.json under it (the artifacts
// of many nights, one folder each). A path named twice counts once. A
// missing path, or a folder without any results.json, is an error naming
// it.
func Files(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		if !seen[abs] {
			seen[abs] = true
			out = append(out, p)
		}
	}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		if !st.IsDir() {
			add(a)
			continue
		}
		found, err := under(a)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}

// under lists the results.json files under dir, in path order.
func under(dir string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == ResultsFile {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("history: no %s under %s", ResultsFile, dir)
	}
	sort.Strings(found)
	return found, nil
}

// Load reads the files with jsonfile.ReadLight (no evidence: a timeline
// needs verdicts only, and a fleet's file is read a registry at a time),
// which accepts every 1.x schema
// version. Every unreadable file is named in the error.
func Load(files []string) ([]Input, error) {
	var ins []Input
	var errs []error
	for _, f := range files {
		run, err := jsonfile.ReadLight(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ins = append(ins, Input{File: f, Run: run})
	}
	return ins, errors.Join(errs...)
}
