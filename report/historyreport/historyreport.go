// Package historyreport writes the reports of `ocicaps history`:
// history.json (the model, versioned), history.md (for CI summaries) and
// history.html (one offline page in the style of report.html). Each reads
// only the history model.
package historyreport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/ocicaps/ocicaps/history"
	"github.com/ocicaps/ocicaps/report/internal/atomicfile"
	"github.com/ocicaps/ocicaps/results"
)

// File names in the output folder.
const (
	JSONFile     = "history.json"
	MarkdownFile = "history.md"
	HTMLFile     = "history.html"
)

// Write writes the three files into dir, creating it if needed, and
// returns the paths written. A writer that fails does not stop the others.
func Write(dir string, h *history.History) ([]string, error) {
	if h == nil {
		return nil, errors.New("history: no history")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("history: create %s: %w", dir, err)
	}
	writers := []struct {
		file   string
		encode func(io.Writer, *history.History) error
	}{
		{JSONFile, EncodeJSON},
		{MarkdownFile, EncodeMarkdown},
		{HTMLFile, EncodeHTML},
	}
	var written []string
	var errs []error
	for _, w := range writers {
		p := filepath.Join(dir, w.file)
		if err := atomicfile.Write(p, func(out io.Writer) error { return w.encode(out, h) }); err != nil {
			errs = append(errs, fmt.Errorf("history: %w", err))
			continue
		}
		written = append(written, p)
	}
	return written, errors.Join(errs...)
}

// EncodeJSON writes history.json: indented, with a trailing newline.
func EncodeJSON(w io.Writer, h *history.History) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h); err != nil {
		return fmt.Errorf("encode history.json: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// marks are the one-character verdicts of a timeline; the words are
// always next to them (legend, current verdict).
var marks = map[results.Status]string{
	results.Supported:   "✓",
	results.Unsupported: "✗",
	results.Error:       "!",
	"":                  "·",
}

func mark(s results.Status) string {
	if m, ok := marks[s]; ok {
		return m
	}
	return "?"
}

// timeline is a cell's verdicts as marks, oldest first.
func timeline(c history.Cell) string {
	var b strings.Builder
	for _, s := range c.Statuses {
		b.WriteString(mark(s))
	}
	return b.String()
}

// attention reports whether a cell belongs in the list of what changed or
// went stale.
func attention(c history.Cell) bool { return c.Kind != history.Stable || c.Stale }

// clean makes text from a results file safe for one line: invalid UTF-8
// and control characters become U+FFFD.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

const dateFormat = "2006-01-02 15:04 UTC"

func date(p *history.Point) string {
	if p == nil {
		return "never"
	}
	return p.StartedAt.UTC().Format(dateFormat)
}

// window says which runs the history covers, in one sentence.
func window(h *history.History) string {
	if len(h.Runs) == 0 {
		return "No runs."
	}
	first, last := h.Runs[0].StartedAt.UTC(), h.Runs[len(h.Runs)-1].StartedAt.UTC()
	return fmt.Sprintf("%d run%s from %s to %s.", len(h.Runs), results.Plural(len(h.Runs), "", "s"),
		first.Format(dateFormat), last.Format(dateFormat))
}

// rules states the thresholds the verdicts used.
func rules(h *history.History) string {
	return fmt.Sprintf("Flaky: the verdict changed at least %d times. Stale: no answer about the capability (supported or unsupported) for more than %d day%s before the newest run.",
		h.FlakyChanges, h.StaleDays, results.Plural(h.StaleDays, "", "s"))
}

// totals is the counts line.
func totals(c history.Counts) string {
	return fmt.Sprintf("%d flaky, %d regression%s, %d improvement%s, %d other change%s, %d stale, over %d cell%s",
		c.Flaky, c.Regressions, results.Plural(c.Regressions, "", "s"), c.Improvements, results.Plural(c.Improvements, "", "s"),
		c.Changed, results.Plural(c.Changed, "", "s"), c.Stale, c.Cells, results.Plural(c.Cells, "", "s"))
}

// Summary is the one line `ocicaps history` prints.
func Summary(h *history.History) string {
	return strings.TrimSuffix(window(h), ".") + ": " + totals(h.Counts)
}
