package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/report/capdoc"
)

// TestCapabilityDocuments: a default run writes capabilities/<registry>.json
// for every registry, with the verdicts results.json has and the version
// header the registry sends to a request of our own.
func TestCapabilityDocuments(t *testing.T) {
	names := []string{zoo.NameDistribution, zoo.NameCrane}
	cfg := writeConfig(t, names, nil)
	r := runOcicaps(t, "--config", cfg, "--format", "quiet")
	if r.code != 0 || r.run == nil {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, reg := range r.run.Registries {
		data, err := os.ReadFile(filepath.Join(r.out, "capabilities", reg.Name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc capdoc.Document
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Registry.Name != reg.Name || doc.Kind != capdoc.Kind || len(doc.Capabilities) != len(reg.Capabilities) {
			t.Fatalf("%s: %+v", reg.Name, doc.Registry)
		}
		for i, c := range reg.Capabilities {
			if d := doc.Capabilities[i]; d.ID != c.ID || d.Status != c.Status {
				t.Errorf("%s %s: %s in the document, %s in results.json", reg.Name, c.ID, d.Status, c.Status)
			}
		}
		resp, err := http.Get(instances[reg.Name].URL + "/v2/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := resp.Header.Get("Docker-Distribution-Api-Version")
		if reg.Name == zoo.NameDistribution && want == "" {
			t.Fatalf("%s sent no Docker-Distribution-Api-Version: the comparison proves nothing", reg.Name)
		}
		if got := doc.Registry.VersionHeaders["Docker-Distribution-Api-Version"]; got != want {
			t.Errorf("%s: version header %q in the document, the registry sends %q", reg.Name, got, want)
		}
	}
}
