package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocsIndexListsEveryPage: docs/README.md links every page of docs/
// (issue 24 item 8), so a new page cannot be forgotten there.
func TestDocsIndexListsEveryPage(t *testing.T) {
	index, err := os.ReadFile(filepath.Join(root, "docs", "README.md"))
	if err != nil {
		t.Fatalf("no docs index: %v", err)
	}
	pages, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	sub, _ := filepath.Glob(filepath.Join(root, "docs", "*", "README.md"))
	for _, p := range append(pages, sub...) {
		rel, _ := filepath.Rel(filepath.Join(root, "docs"), p)
		if rel == "README.md" {
			continue
		}
		if !strings.Contains(string(index), "("+filepath.ToSlash(rel)+")") {
			t.Errorf("docs/README.md does not link %s", rel)
		}
	}
}

// TestMakeHelp: make help lists every target of the Makefiles with what
// it does.
func TestMakeHelp(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatalf("make is not installed: %v", err)
	}
	out, err := exec.Command("make", "-s", "-C", root, "help").CombinedOutput()
	if err != nil {
		t.Fatalf("make help: %v\n%s", err, out)
	}
	targetRE := regexp.MustCompile(`(?m)^([a-z][a-z-]*):`)
	for _, mk := range []string{"Makefile", "Makefile.zoo"} {
		data, err := os.ReadFile(filepath.Join(root, mk))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range targetRE.FindAllStringSubmatch(string(data), -1) {
			if !regexp.MustCompile(`(?m)^  ` + m[1] + ` +\S`).Match(out) {
				t.Errorf("make help does not describe %s (of %s):\n%s", m[1], mk, out)
			}
		}
	}
}
