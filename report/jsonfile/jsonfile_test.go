package jsonfile

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/results"
)

func fullRun() *results.Run {
	start := time.Date(2025, 1, 2, 3, 4, 5, 123000000, time.UTC)
	reg := results.Registry{
		Name: "distribution", URL: "http://127.0.0.1:5000", TestRepository: "library/alpine", TestTag: "latest",
		DurationMS: 40,
		Capabilities: []results.Capability{
			{
				ID: "distribution-version", Check: "check.integration.oci.capabilities", Name: "Distribution version",
				SeverityWhenMissing: results.Info, Status: results.Supported, Reason: "header present",
				Facts:  []results.Fact{{Name: "distribution version", Value: "registry/2.0"}},
				Source: "features/distribution-version.feature:3", DurationMS: 4,
				Deviations: []results.Deviation{{Section: "Determining Support", Rule: `MUST <answer> & "quote"`,
					Evidence: results.Evidence{Scenario: "s", Method: "GET", URL: "http://127.0.0.1:5000/v2/", Status: 200, Answer: "200 OK", Exchange: 0}}},
				Exchanges: []results.Exchange{{
					Method: "GET", URL: "http://127.0.0.1:5000/v2/",
					RequestHeaders:  map[string][]string{"Authorization": {"REDACTED"}},
					Status:          200,
					ResponseHeaders: map[string][]string{"Docker-Distribution-Api-Version": {"registry/2.0"}},
					Attempts:        2, DurationMS: 3,
					Auth: []results.Exchange{{Method: "GET", URL: "https://auth/token?scope=repository%3Aa%3Apull", Status: 200, Attempts: 1}},
				}},
			},
			{
				ID: "referrers", SeverityWhenMissing: results.Warn, Status: results.Unsupported,
				Reason:     `answered 404 <no index> & "quotes"`,
				Facts:      []results.Fact{}, // Read returns [] for [], so the round trip is exact
				Deviations: []results.Deviation{},
				Exchanges: []results.Exchange{
					{Method: "GET", URL: "http://x/a?b=1&c=<2>", Attempts: 3, Error: "timeout"},
					{Method: "DELETE", URL: "http://x/u", Status: 202, Attempts: 1, Cleanup: true},
				},
			},
		},
		Leftovers:   []results.Leftover{{What: "blob", URL: "http://x/b", Reason: "405"}},
		Credentials: "username alice, password from $PW",
		Warnings:    []string{"TLS certificate verification is off"},
	}
	results.Summarize(&reg)
	return &results.Run{
		SchemaVersion: results.SchemaVersion,
		Tool:          results.Tool{Name: "ocicaps", Version: "v0.1.0"},
		StartedAt:     start, FinishedAt: start.Add(time.Second), DurationMS: 1000,
		ConfigFile: "registries.yaml", Suite: "embedded", Selection: "~@slow", Incomplete: true,
		FailOn: results.Warn, FailOnRegression: true,
		Capabilities: []results.CapabilityInfo{{
			ID: "referrers", Check: "check.integration.oci.capabilities", Name: "Referrers API",
			SeverityWhenMissing: results.Warn, Description: "GET /v2/<repository>/referrers/<digest>",
			CommonCauses: []string{"no OCI 1.1"}, HowToFix: []string{"Upgrade:\ncurl -H 'Accept: x' https://r/v2/"},
			Source: "capabilities/02-referrers.feature",
		}},
		Registries: []results.Registry{reg},
		Trend: &results.Trend{
			Baseline: results.Baseline{File: "old/results.json", StartedAt: start.Add(-time.Hour), ToolVersion: "v0.0.9"},
			Registries: []results.RegistryTrend{{
				Name: "distribution", ScoreBefore: 2, MaxScoreBefore: 2, Score: 1, MaxScore: 2,
				SeverityBefore: results.Pass, Severity: results.Warn,
				Changes: []results.CapabilityChange{{ID: "referrers", Kind: results.ChangeLost, Before: results.Supported, After: results.Unsupported, Reason: "404"}},
			}},
			Added: []string{}, Removed: []string{"gone"}, Lost: 1,
		},
	}
}

func TestRoundTrip(t *testing.T) {
	run := fullRun()
	path := filepath.Join(t.TempDir(), "results.json")
	if err := Write(path, run); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, run) {
		a, _ := json.MarshalIndent(run, "", " ")
		b, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("round trip changed the run:\nwant %s\ngot  %s", a, b)
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasSuffix(data, []byte("}\n")) || bytes.HasSuffix(data, []byte("\n\n")) {
		t.Errorf("want exactly one trailing newline, file ends %q", data[max(0, len(data)-10):])
	}
	if !bytes.Contains(data, []byte("\n  \"tool\": {\n    \"name\": \"ocicaps\"")) {
		t.Errorf("not indented with two spaces:\n%s", data)
	}
	if !bytes.Contains(data, []byte(`<no index> & \"quotes\"`)) {
		t.Errorf("reasons should not be HTML-escaped:\n%s", data)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, %v; want 0644", fi.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temp files left behind: %v", entries)
	}
}

func TestNilSlicesWrittenAsEmpty(t *testing.T) {
	run := &results.Run{
		SchemaVersion: "0.9", // Write stamps the version of this build's model
		Registries: []results.Registry{{
			Name:         "r",
			Capabilities: []results.Capability{{ID: "c", Exchanges: []results.Exchange{{Method: "GET", ResponseHeaders: map[string][]string{"X": nil}}}}},
		}},
	}
	data, err := Marshal(run)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if strings.Contains(s, "null") {
		t.Errorf("null in output:\n%s", s)
	}
	for _, want := range []string{`"facts": []`, `"leftovers": []`, `"capabilities": []`, `"X": []`, `"schemaVersion": "` + results.SchemaVersion + `"`} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s in:\n%s", want, s)
		}
	}
	withTrend, err := Marshal(&results.Run{
		Capabilities: []results.CapabilityInfo{{ID: "c"}},
		Trend:        &results.Trend{Registries: []results.RegistryTrend{{Name: "r"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"commonCauses": []`, `"howToFix": []`, `"added": []`, `"removed": []`, `"changes": []`} {
		if !strings.Contains(string(withTrend), want) || strings.Contains(string(withTrend), "null") {
			t.Errorf("missing %s or has null in:\n%s", want, withTrend)
		}
	}
	empty, err := Marshal(&results.Run{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(empty), `"registries": []`) || strings.Contains(string(empty), "null") {
		t.Errorf("zero run:\n%s", empty)
	}
	// The caller's run is not modified.
	if run.SchemaVersion != "0.9" || run.Registries[0].Leftovers != nil || run.Registries[0].Capabilities[0].Facts != nil {
		t.Errorf("Marshal modified its argument: %+v", run)
	}
}

func TestInvalidUTF8StaysValidJSON(t *testing.T) {
	run := &results.Run{Registries: []results.Registry{{Name: "bad \xff\xfe \x00\x1b[0m"}}}
	data, err := Marshal(run)
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Fatalf("invalid JSON:\n%q", data)
	}
	got, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Registries[0].Name != "bad \uFFFD\uFFFD \x00\x1b[0m" {
		t.Errorf("name = %q", got.Registries[0].Name)
	}
}

func TestReadRejects(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct{ content, want string }{
		"major2":    {`{"schemaVersion": "2.0", "registries": []}`, `unsupported schemaVersion "2.0"`},
		"noversion": {`{"registries": []}`, "no schemaVersion"},
		"garbage":   {`not json`, "not a results.json"},
		"badformat": {`{"schemaVersion": "1"}`, `unsupported schemaVersion "1"`},
		"trailing":  {`{"schemaVersion": "1.0"} {}`, "after top-level value"},
		"wrongtype": {`{"schemaVersion": "1.0", "registries": {}}`, "decode"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".json")
			if err := os.WriteFile(path, []byte(c.content), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, read := range []func(string) (*results.Run, error){Read, ReadLight} {
				_, err := read(path)
				if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
					t.Errorf("err = %v; want it to name %s and say %q", err, path, c.want)
				}
			}
		})
	}
	if _, err := Read(filepath.Join(dir, "absent.json")); err == nil || !strings.Contains(err.Error(), "absent.json") {
		t.Errorf("absent file: err = %v", err)
	}
	if _, err := ReadLight(filepath.Join(dir, "absent.json")); err == nil || !strings.Contains(err.Error(), "absent.json") {
		t.Errorf("absent file, light: err = %v", err)
	}
}

// ReadLight reads what Read reads, each registry as its light copy.
func TestReadLight(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.json")
	if err := Write(path, fullRun()); err != nil {
		t.Fatal(err)
	}
	want, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadLight(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Registries) == 0 || len(got.Registries) != len(want.Registries) {
		t.Fatalf("%d registries, want %d", len(got.Registries), len(want.Registries))
	}
	for i := range want.Registries {
		want.Registries[i] = results.Light(want.Registries[i])
		got.Registries[i] = results.Light(got.Registries[i])
	}
	if !reflect.DeepEqual(got, want) {
		a, _ := json.MarshalIndent(want, "", " ")
		b, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("light read differs:\nwant %s\ngot  %s", a, b)
	}
}

// A newer minor version only adds fields; an older reader must accept it.
func TestReadAcceptsNewerMinor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.json")
	content := `{"schemaVersion": "1.7", "futureField": {"x": 1}, "registries": [{"name": "r", "capabilities": null, "leftovers": null, "newThing": true}]}` + "\n"
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	run, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if run.SchemaVersion != "1.7" || run.Registries[0].Name != "r" ||
		run.Registries[0].Capabilities == nil || run.Registries[0].Leftovers == nil {
		t.Errorf("run = %+v", run)
	}
}

func TestWriteErrors(t *testing.T) {
	dir := t.TempDir()
	if err := Write(filepath.Join(dir, "results.json"), nil); err == nil || !strings.Contains(err.Error(), "no run") {
		t.Errorf("nil run: err = %v", err)
	}
	if err := Write(filepath.Join(dir, "missing", "results.json"), fullRun()); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("missing folder: err = %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("failed writes left files: %v", entries)
	}
}
