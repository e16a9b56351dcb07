package cucumber

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const godogOut = `[
    {
        "uri": "capabilities/02-referrers.feature",
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
	data, err := Merge([]Part{{"zoo-a", []byte(godogOut)}, {"never-ran", nil}, {"zoo-b", []byte(godogOut)}})
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
	if b["name"] != "zoo-b: Referrers API" || b["uri"] != "zoo-b/capabilities/02-referrers.feature" || b["id"] != "zoo-b;referrers-api" {
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
	empty, err := Merge(nil)
	if err != nil || strings.TrimSpace(string(empty)) != "[]" {
		t.Errorf("no parts: %q %v", empty, err)
	}
	if _, err := Merge([]Part{{"bad", []byte("{")}}); err == nil || !strings.Contains(err.Error(), "bad") {
		t.Errorf("broken part: %v", err)
	}
}

func TestWrite(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cucumber.json")
	if err := Write(p, []Part{{"a", []byte(godogOut)}}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	if !json.Valid(data) || !strings.Contains(string(data), `"a: Referrers API"`) {
		t.Errorf("written: %s", data)
	}
	if err := Write(p, []Part{{"bad", []byte("x")}}); err == nil {
		t.Error("broken part written")
	}
}
