package cucumber

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
)

const godogOut = `[
    {
        "uri": "capabilities/02-referrers.feature:16",
        "id": "referrers-api",
        "keyword": "Feature",
        "name": "Referrers API",
        "description": "<GET> & co",
        "line": 2,
        "elements": [
            {"id": "referrers-api;the-registry-lists", "keyword": "Scenario", "name": "s", "line": 16, "type": "scenario",
             "steps": [{"keyword": "When ", "name": "x", "line": 17, "result": {"status": "skipped", "duration": 5}}]}
        ]
    }
]
`

func TestMerge(t *testing.T) {
	run := &results.Run{Registries: []results.Registry{
		{Name: "zoo-a", Capabilities: []results.Capability{{ID: "referrers", Status: results.Unsupported, Reason: "404", Source: "capabilities/02-referrers.feature:2"}}},
		{Name: "zoo-b", Capabilities: []results.Capability{{ID: "referrers", Status: results.Supported, Source: "capabilities/02-referrers.feature:2"}}},
	}}
	data, err := Merge(run, []Part{{"zoo-a", []byte(godogOut)}, {"never-ran", nil}, {"zoo-b", []byte(godogOut)}})
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	if len(got) != 2 {
		t.Fatalf("%d features, want 2", len(got))
	}
	b := got[1]
	if b["name"] != "zoo-b: Referrers API" || b["uri"] != "zoo-b/capabilities/02-referrers.feature:16" || b["id"] != "zoo-b;referrers-api" {
		t.Errorf("feature identity: %v %v %v", b["name"], b["uri"], b["id"])
	}
	el := b["elements"].([]any)[0].(map[string]any)
	if el["id"] != "zoo-b;referrers-api;the-registry-lists" {
		t.Errorf("element id = %v", el["id"])
	}
	step := el["steps"].([]any)[0].(map[string]any)
	if step["result"].(map[string]any)["status"] != "skipped" || b["description"] != "<GET> & co" {
		t.Errorf("godog's content changed: %v", b)
	}
	if !strings.Contains(string(data), `"<GET> & co"`) {
		t.Errorf("HTML-escaped: %s", data)
	}
	// zoo-a's referrers is unsupported: the verdict rides on its scenario;
	// zoo-b's is supported: godog's output stays as it was.
	a := got[0]["elements"].([]any)[0].(map[string]any)
	after, _ := a["after"].([]any)
	if len(after) != 1 {
		t.Fatalf("zoo-a: after hooks %v", a["after"])
	}
	res := after[0].(map[string]any)["result"].(map[string]any)
	if res["status"] != "skipped" || res["error_message"] != "unsupported: 404" {
		t.Errorf("zoo-a verdict = %v", res)
	}
	if tags, _ := a["tags"].([]any); len(tags) != 1 || tags[0].(map[string]any)["name"] != "@ocicaps:unsupported" {
		t.Errorf("zoo-a tags = %v", a["tags"])
	}
	if _, ok := el["after"]; ok {
		t.Errorf("zoo-b (supported) got a verdict hook: %v", el)
	}
	empty, err := Merge(nil, nil)
	if err != nil || strings.TrimSpace(string(empty)) != "[]" {
		t.Errorf("no parts: %q %v", empty, err)
	}
	if _, err := Merge(run, []Part{{"bad", []byte("{")}}); err == nil || !strings.Contains(err.Error(), "bad") {
		t.Errorf("broken part: %v", err)
	}
}

func TestWrite(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cucumber.json")
	if err := Write(p, nil, []Part{{"a", []byte(godogOut)}}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	if !json.Valid(data) || !strings.Contains(string(data), `"a: Referrers API"`) {
		t.Errorf("written: %s", data)
	}
	if err := Write(p, nil, []Part{{"bad", []byte("x")}}); err == nil {
		t.Error("broken part written")
	}
}
