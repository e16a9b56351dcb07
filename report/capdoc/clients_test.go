package capdoc

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestClients: readiness goes into the document (schema 1.1) without the
// reasons, evidence and egress, which name repositories and hosts; a
// document without clients stays 1.0.
func TestClients(t *testing.T) {
	run := resultstest.WithClients()
	doc := Build(run, run.Registries[0])
	if doc.SchemaVersion != SchemaVersionClients || len(doc.Clients) != len(run.Registries[0].Clients) {
		t.Fatalf("schema %s, %d clients", doc.SchemaVersion, len(doc.Clients))
	}
	var buf bytes.Buffer
	if err := Encode(&buf, doc); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"ocicaps/scratch", "tuf-repo-cdn", "features/clients", "/v2/", "exited"} {
		if strings.Contains(buf.String(), bad) {
			t.Errorf("the document holds %q", bad)
		}
	}
	c := doc.Clients[1]
	if c.Client != "oras" || c.Workflow != "attach" || c.Outcome != results.WorksWithFallback || !c.Confirmed ||
		c.Settings != "--distribution-spec v1.1-referrers-tag" || c.ClientVersion != "Version: 1.3.6" || c.Via[0] != "referrers-tag-fallback" {
		t.Errorf("client %+v", c)
	}
	if p := doc.Clients[7]; p.Confirmed || p.ClientVersion != "" {
		t.Errorf("a prediction names a client version: %+v", p)
	}
	if plain := Build(run, resultstest.Sample().Registries[0]); plain.SchemaVersion != SchemaVersion || plain.Clients != nil {
		t.Errorf("without clients: schema %s, clients %v", plain.SchemaVersion, plain.Clients)
	}
}
