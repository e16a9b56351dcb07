package report

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/report/cucumber"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
)

func run() *results.Run {
	reg := results.Registry{Name: "r", Capabilities: []results.Capability{
		{ID: "referrers", Status: results.Unsupported, SeverityWhenMissing: results.Warn, Reason: "404"},
	}}
	results.Summarize(&reg)
	return &results.Run{SchemaVersion: results.SchemaVersion, Registries: []results.Registry{reg}}
}

func TestWriteAll(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports", "nested")
	paths, err := WriteAll(dir, run())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, JUnitFile), filepath.Join(dir, JSONFile), filepath.Join(dir, HTMLFile), filepath.Join(dir, SummaryFile),
		filepath.Join(dir, CapabilitiesDir, "r.json")}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %v, want %v", paths, want)
	}
	xmlData, err := os.ReadFile(want[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(xmlData), `<testcase name="referrers [r]" classname="ocicaps.r"`) {
		t.Errorf("junit.xml:\n%s", xmlData)
	}
	got, err := jsonfile.Read(want[1])
	if err != nil {
		t.Fatal(err)
	}
	if got.Registries[0].Severity != results.Warn {
		t.Errorf("results.json severity = %q", got.Registries[0].Severity)
	}
}

// One writer failing must not cost the other report.
func TestWriteAllPartial(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, JUnitFile), 0o755); err != nil { // rename onto a folder fails
		t.Fatal(err)
	}
	paths, err := WriteAll(dir, run())
	if err == nil || !strings.Contains(err.Error(), JUnitFile) {
		t.Errorf("err = %v, want it to name %s", err, JUnitFile)
	}
	if want := []string{filepath.Join(dir, JSONFile), filepath.Join(dir, HTMLFile), filepath.Join(dir, SummaryFile), filepath.Join(dir, CapabilitiesDir, "r.json")}; !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %v, want %v", paths, want)
	}
}

func TestWriteAllErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteAll(dir, nil); err == nil {
		t.Error("nil run: no error")
	}
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	paths, err := WriteAll(filepath.Join(file, "sub"), run())
	if err == nil || len(paths) != 0 || !strings.Contains(err.Error(), "create") {
		t.Errorf("dir under a file: paths=%v err=%v", paths, err)
	}
}

// --format chooses the files: only those named are written, cucumber.json
// only on request.
func TestWriteChosenFormats(t *testing.T) {
	dir := t.TempDir()
	parts := []cucumber.Part{{Registry: "r", JSON: []byte(`[{"name": "F", "id": "f", "uri": "f.feature"}]`)}}
	paths, err := Write(dir, run(), Options{Formats: []string{FormatCucumber, FormatMarkdown}, Cucumber: parts})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(dir, SummaryFile), filepath.Join(dir, CucumberFile)}; !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %v, want %v", paths, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("folder holds %v", entries)
	}
	data, _ := os.ReadFile(filepath.Join(dir, CucumberFile))
	if !strings.Contains(string(data), `"r: F"`) {
		t.Errorf("cucumber.json: %s", data)
	}
	if _, err := Write(dir, run(), Options{Formats: []string{"pdf"}}); err == nil || !strings.Contains(err.Error(), `unknown format "pdf"`) {
		t.Errorf("unknown format: %v", err)
	}
	for _, f := range Formats {
		if !IsFormat(f) || FileName(f) == "" {
			t.Errorf("format %s has no file", f)
		}
	}
}
