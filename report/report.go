// Package report writes the file reports of a run into a folder. Each
// writer reads only the results model (cucumber.json: godog's own output,
// passed through); none re-runs anything.
package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ocicaps/ocicaps/internal/crash"
	"github.com/ocicaps/ocicaps/report/capdoc"
	"github.com/ocicaps/ocicaps/report/ctrf"
	"github.com/ocicaps/ocicaps/report/cucumber"
	htmlreport "github.com/ocicaps/ocicaps/report/html"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/report/junit"
	"github.com/ocicaps/ocicaps/report/markdown"
	"github.com/ocicaps/ocicaps/results"
)

// File names inside the report folder; CI recipes refer to them.
const (
	JUnitFile    = "junit.xml"
	JSONFile     = "results.json"
	HTMLFile     = "report.html"
	SummaryFile  = "summary.md"
	CucumberFile = "cucumber.json"
	CTRFFile     = "ctrf.json"
	// CapabilitiesDir holds one capability document per registry,
	// capabilities/<registry>.json (report/capdoc).
	CapabilitiesDir = "capabilities"
)

// File format names, as --format takes them.
const (
	FormatJUnit    = "junit"
	FormatJSON     = "json"
	FormatHTML     = "html"
	FormatMarkdown = "markdown"
	FormatCucumber = "cucumber"
	FormatCTRF     = "ctrf"
	// FormatCapabilities writes CapabilitiesDir.
	FormatCapabilities = "capabilities"
)

// format is one file report: its --format name, its file in the report
// folder and how it is written. The table below is the one list of them.
type format struct {
	name, file string
	write      func(path string, run *results.Run, opt Options) error
	// many, when set instead of write, writes several files into the
	// folder file and returns their paths.
	many func(dir string, run *results.Run) ([]string, error)
}

// formats are the file formats in the order they are written.
var formats = []format{
	{FormatJUnit, JUnitFile, func(p string, r *results.Run, _ Options) error { return junit.Write(p, r) }, nil},
	{FormatJSON, JSONFile, func(p string, r *results.Run, _ Options) error { return jsonfile.Write(p, r) }, nil},
	{FormatHTML, HTMLFile, func(p string, r *results.Run, _ Options) error { return htmlreport.Write(p, r) }, nil},
	{FormatMarkdown, SummaryFile, func(p string, r *results.Run, _ Options) error { return markdown.Write(p, r) }, nil},
	{FormatCucumber, CucumberFile, func(p string, r *results.Run, o Options) error { return cucumber.Write(p, r, o.Cucumber) }, nil},
	{FormatCTRF, CTRFFile, func(p string, r *results.Run, _ Options) error { return ctrf.Write(p, r) }, nil},
	{name: FormatCapabilities, file: CapabilitiesDir, many: capdoc.Write},
}

// Formats lists the file format names in the order they are written.
var Formats = names()

func names() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.name
	}
	return out
}

// DefaultFormats are written when no file format is asked for. Cucumber
// JSON is only for those who ask: it repeats what results.json says, in
// godog's terms.
// The capability documents are small and are what a registry publishes,
// so they are written by default too.
var DefaultFormats = []string{FormatJUnit, FormatJSON, FormatHTML, FormatMarkdown, FormatCapabilities}

func lookup(name string) (format, bool) {
	for _, f := range formats {
		if f.name == name {
			return f, true
		}
	}
	return format{}, false
}

// IsFormat reports whether name is a file format.
func IsFormat(name string) bool { _, ok := lookup(name); return ok }

// FileName is the file a format is written to ("" for an unknown format).
func FileName(format string) string { f, _ := lookup(format); return f.file }

// Options choose what Write writes.
type Options struct {
	// Formats are file format names; empty means DefaultFormats.
	Formats []string
	// Cucumber holds godog's cucumber JSON per registry, for the cucumber
	// format.
	Cucumber []cucumber.Part
}

// WriteAll writes the default files into dir.
func WriteAll(dir string, run *results.Run) ([]string, error) {
	return Write(dir, run, Options{})
}

// Write writes the chosen files into dir, creating dir if needed, and
// returns the paths it wrote in the order of Formats. The writers are
// independent: if one fails the others are still written, their paths are
// returned, and the error names what failed.
func Write(dir string, run *results.Run, opt Options) ([]string, error) {
	if run == nil {
		return nil, fmt.Errorf("report: write to %s: no run", dir)
	}
	want, err := wanted(opt.Formats)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: create %s: %w", dir, err)
	}
	var written []string
	var errs []error
	for _, f := range formats {
		if !want[f.name] {
			continue
		}
		p := filepath.Join(dir, f.file)
		if f.many != nil {
			var ps []string
			err := protected(p, func() error {
				var err error
				ps, err = f.many(p, run)
				return err
			})
			written = append(written, ps...)
			if err != nil {
				errs = append(errs, fmt.Errorf("report: %w", err))
			}
			continue
		}
		if err := protected(p, func() error { return f.write(p, run, opt) }); err != nil {
			errs = append(errs, fmt.Errorf("report: %w", err))
			continue
		}
		written = append(written, p)
	}
	return written, errors.Join(errs...)
}

// protected runs write, with a panic in it (a bug) recorded by
// internal/crash and returned as an error naming the file p: the other
// writers still run.
func protected(p string, write func() error) (err error) {
	defer func() {
		if perr := crash.Recovered("writing "+filepath.Base(p), recover()); perr != nil {
			err = perr
		}
	}()
	return write()
}

// wanted checks the asked-for format names; none means DefaultFormats.
func wanted(names []string) (map[string]bool, error) {
	if len(names) == 0 {
		names = DefaultFormats
	}
	want := map[string]bool{}
	for _, n := range names {
		if !IsFormat(n) {
			return nil, fmt.Errorf("report: unknown format %q (known: %s)", n, strings.Join(Formats, ", "))
		}
		want[n] = true
	}
	return want, nil
}
