package console

import (
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

// An integrity failure reads as corrupted content, never as a rule of the
// spec bent ("deviates from").
func TestIntegrityLine(t *testing.T) {
	d := results.Deviation{Section: results.IntegritySection, Rule: results.IntegrityWords + ": GET of the blob", Kind: results.KindIntegrity,
		Evidence: results.Evidence{Method: "GET", URL: "http://r/v2/s/blobs/sha256:ab", Status: 200}}
	line := deviationLine("zoo", "blob-range", d)
	if !strings.Contains(line, "CONTENT INTEGRITY: the registry returned different bytes than were written") || strings.Contains(line, "deviates from") {
		t.Errorf("line %q", line)
	}
}

func TestIntegrityCell(t *testing.T) {
	c := results.Capability{Status: results.Unsupported, Deviations: []results.Deviation{{Kind: results.KindIntegrity}}}
	if got := deviationCount(c); got != " (CORRUPT)" {
		t.Errorf("cell note %q", got)
	}
}
