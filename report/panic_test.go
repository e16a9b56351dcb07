package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// A writer that panics (a bug) is an error naming it; the writers after it
// still write their files.
func TestPanickingWriterDoesNotStopTheOthers(t *testing.T) {
	saved := formats[0].write
	formats[0].write = func(string, *results.Run, Options) error {
		var r *results.Run
		_ = r.Registries[0] // nil pointer dereference
		return nil
	}
	defer func() { formats[0].write = saved }()
	dir := t.TempDir()
	paths, err := Write(dir, resultstest.Sample(), Options{Formats: []string{formats[0].name, FormatJSON}})
	if err == nil || !strings.Contains(err.Error(), "internal error in ocicaps (writing "+formats[0].file+": panic: runtime error: invalid memory address or nil pointer dereference)") {
		t.Fatalf("error %v", err)
	}
	if len(paths) != 1 || filepath.Base(paths[0]) != JSONFile {
		t.Errorf("written: %v", paths)
	}
	if _, err := os.Stat(filepath.Join(dir, JSONFile)); err != nil {
		t.Error(err)
	}
}
