package steps

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func repoFile(t *testing.T, rel string) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

// The reference in docs/writing-scenarios.md must be the vocabulary as it
// is: regenerate it with `ocicaps steps --markdown` when a step changes.
func TestDocsReferenceIsCurrent(t *testing.T) {
	data, err := os.ReadFile(repoFile(t, "docs/writing-scenarios.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<!-- reference:begin[^>]*-->\n(.*)<!-- reference:end -->`).FindSubmatch(data)
	if m == nil {
		t.Fatal("docs/writing-scenarios.md has no reference:begin/end markers")
	}
	if got, want := string(m[1]), ReferenceMarkdown(); got != want {
		t.Errorf("docs/writing-scenarios.md's reference is stale; regenerate it with scripts/gen-step-reference.sh.\n--- docs\n%s\n--- vocabulary\n%s", got, want)
	}
}

// Every step in the tutorial's examples must be in the vocabulary.
func TestDocsExamplesUseTheVocabulary(t *testing.T) {
	data, err := os.ReadFile(repoFile(t, "docs/writing-scenarios.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```gherkin\n(.*?)```").FindAllSubmatch(data, -1)
	if len(blocks) < 3 {
		t.Fatalf("expected the tutorial's gherkin examples, found %d blocks", len(blocks))
	}
	kw := regexp.MustCompile(`^\s*(Given|When|Then|And|But) (.*)$`)
	n := 0
	for _, b := range blocks {
		for _, line := range strings.Split(string(b[1]), "\n") {
			if m := kw.FindStringSubmatch(line); m != nil {
				n++
				if err := Check(m[2], false); err != nil {
					t.Errorf("tutorial step %q: %v", m[2], err)
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d steps found in the tutorial", n)
	}
}

// An overlapping pattern must be caught as ambiguous, since godog would
// refuse the scenario at run time.
func TestCheckReportsAmbiguousSteps(t *testing.T) {
	saved := defs
	defer func() { defs = saved }()
	defs = append(defs, step(groupRequests, `^I send a GET request to "(.*)"$`, `x`, `x`, func() error { return nil }))
	err := Check(`I send a GET request to "/v2/"`, false)
	if err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Fatalf("got %v, want an ambiguity error", err)
	}
}
