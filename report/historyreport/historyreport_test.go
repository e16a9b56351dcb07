package historyreport

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/history"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

func hostile() *history.History {
	run := &results.Run{SchemaVersion: results.SchemaVersion, StartedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Registries: []results.Registry{{Name: resultstest.Nasty, Capabilities: []results.Capability{
			{ID: "referrers", Name: resultstest.Nasty, Status: results.Unsupported, Reason: resultstest.Nasty}}}}}
	return history.Build([]history.Input{{File: "a/" + resultstest.Nasty, Run: run}}, history.Options{})
}

// TestHostileText: what a registry or a file name says cannot become
// markup, a link or a table cell, in the page or in the Markdown.
func TestHostileText(t *testing.T) {
	h := hostile()
	var page, md bytes.Buffer
	if err := EncodeHTML(&page, h); err != nil {
		t.Fatal(err)
	}
	if err := EncodeMarkdown(&md, h); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "\x1b", "\x00", "\xff"} {
		if strings.Contains(page.String(), bad) {
			t.Errorf("history.html contains %q", bad)
		}
		if strings.Contains(md.String(), bad) {
			t.Errorf("history.md contains %q", bad)
		}
	}
	for _, bad := range []string{"](https://evil", "<script", "| `c`"} {
		if strings.Contains(md.String(), bad) {
			t.Errorf("history.md contains %q", bad)
		}
	}
}

// TestWrite writes the three files into a new folder.
func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new")
	written, err := Write(dir, hostile())
	if err != nil || len(written) != 3 {
		t.Fatalf("%v %v", written, err)
	}
	for _, f := range []string{JSONFile, MarkdownFile, HTMLFile} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := Write(dir, nil); err == nil {
		t.Error("no history: no error")
	}
}
