// Package report writes the file reports of a run into a folder. Each
// writer reads only the results model; none re-runs anything.
package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/report/junit"
	"github.com/ocicaps/ocicaps/results"
)

// File names inside the report folder; CI recipes refer to them.
const (
	JUnitFile = "junit.xml"
	JSONFile  = "results.json"
)

// WriteAll writes junit.xml and results.json into dir, creating dir if
// needed, and returns the paths it wrote in that order. The writers are
// independent: if one fails the other is still written, its path is
// returned, and the error names what failed.
func WriteAll(dir string, run *results.Run) ([]string, error) {
	if run == nil {
		return nil, fmt.Errorf("report: write to %s: no run", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: create %s: %w", dir, err)
	}
	writers := []struct {
		name  string
		write func(string, *results.Run) error
	}{
		{JUnitFile, junit.Write},
		{JSONFile, jsonfile.Write},
	}
	var written []string
	var errs []error
	for _, w := range writers {
		p := filepath.Join(dir, w.name)
		if err := w.write(p, run); err != nil {
			errs = append(errs, fmt.Errorf("report: %w", err))
			continue
		}
		written = append(written, p)
	}
	return written, errors.Join(errs...)
}
