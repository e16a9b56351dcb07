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
)

// File format names, as --format takes them.
const (
	FormatJUnit    = "junit"
	FormatJSON     = "json"
	FormatHTML     = "html"
	FormatMarkdown = "markdown"
	FormatCucumber = "cucumber"
)

// Formats lists the file formats in the order they are written.
var Formats = []string{FormatJUnit, FormatJSON, FormatHTML, FormatMarkdown, FormatCucumber}

// DefaultFormats are written when no file format is asked for. Cucumber
// JSON is only for those who ask: it repeats what results.json says, in
// godog's terms.
var DefaultFormats = []string{FormatJUnit, FormatJSON, FormatHTML, FormatMarkdown}

var fileOf = map[string]string{
	FormatJUnit: JUnitFile, FormatJSON: JSONFile, FormatHTML: HTMLFile,
	FormatMarkdown: SummaryFile, FormatCucumber: CucumberFile,
}

// IsFormat reports whether name is a file format.
func IsFormat(name string) bool { _, ok := fileOf[name]; return ok }

// FileName is the file a format is written to.
func FileName(format string) string { return fileOf[format] }

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
	want := map[string]bool{}
	formats := opt.Formats
	if len(formats) == 0 {
		formats = DefaultFormats
	}
	for _, f := range formats {
		if !IsFormat(f) {
			return nil, fmt.Errorf("report: unknown format %q (known: %s)", f, strings.Join(Formats, ", "))
		}
		want[f] = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report: create %s: %w", dir, err)
	}
	writers := map[string]func(string) error{
		FormatJUnit:    func(p string) error { return junit.Write(p, run) },
		FormatJSON:     func(p string) error { return jsonfile.Write(p, run) },
		FormatHTML:     func(p string) error { return htmlreport.Write(p, run) },
		FormatMarkdown: func(p string) error { return markdown.Write(p, run) },
		FormatCucumber: func(p string) error { return cucumber.Write(p, run, opt.Cucumber) },
	}
	var written []string
	var errs []error
	for _, f := range Formats {
		if !want[f] {
			continue
		}
		p := filepath.Join(dir, fileOf[f])
		if err := writers[f](p); err != nil {
			errs = append(errs, fmt.Errorf("report: %w", err))
			continue
		}
		written = append(written, p)
	}
	return written, errors.Join(errs...)
}
