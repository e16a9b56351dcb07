package capdoc

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/results/resultstest"
)

// TestNothingSecret: credentials, their source, request headers, test
// repositories and user information in the URL stay out of the document,
// while the registry's version headers are in it.
func TestNothingSecret(t *testing.T) {
	const secret = "s3cr3t-value"
	run := resultstest.Sample()
	reg := &run.Registries[0]
	reg.URL = "https://alice:" + secret + "@registry.example.com/v2/?token=" + secret
	reg.Credentials = "username alice, password from $" + secret
	reg.TestRepository = "private/" + secret
	reg.Capabilities[0].Exchanges = []results.Exchange{{
		Method: "GET", URL: "https://registry.example.com/v2/?token=" + secret, Status: 200,
		RequestHeaders: map[string][]string{"Authorization": {"Bearer " + secret}},
		ResponseHeaders: map[string][]string{
			"Docker-Distribution-Api-Version": {"registry/2.0"}, "Server": {"nginx/1.27"},
			"Www-Authenticate": {`Bearer realm="https://auth.example.com/token?` + secret + `"`}},
	}}
	reg.Scratch = []string{"acme/ocicaps-verify-x", "acme/ocicaps-verify-x-mount"}
	// Facts that name repositories and request paths: a verify-mode row's
	// reason, the read-after-write delay, a list not readable to its end.
	reg.Capabilities[0].Facts = append(reg.Capabilities[0].Facts,
		results.Fact{Name: "Mounted into another repository", Value: "unsupported: POST to acme/ocicaps-verify-x-mount answered 404"},
		results.Fact{Name: "read after write", Value: "readable 480 ms after the write (GET /v2/acme/ocicaps-verify-x/blobs/sha256:0)"},
		results.Fact{Name: "list not readable to its end", Value: "a Link to http://registry.example.com/v2/" + reg.TestRepository + "/tags/list repeats"},
		results.Fact{Name: "subject digest", Value: "sha256:0123"})
	var buf bytes.Buffer
	doc := Build(run, *reg)
	if err := Encode(&buf, doc); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "sha256:0123") {
		t.Errorf("a fact that names no repository is left out:\n%s", buf.String())
	}
	for _, bad := range []string{secret, "alice", "Authorization", "Www-Authenticate", "private/", "ocicaps-verify-x", "/v2/acme"} {
		if strings.Contains(buf.String(), bad) {
			t.Errorf("the document holds %q:\n%s", bad, buf.String())
		}
	}
	want := map[string]string{"Docker-Distribution-Api-Version": "registry/2.0", "Server": "nginx/1.27"}
	if !reflect.DeepEqual(doc.Registry.VersionHeaders, want) || doc.Registry.URL != "https://registry.example.com/v2/" {
		t.Errorf("registry %+v", doc.Registry)
	}
}

// TestContent: every capability with its verdict, deviations and
// fallbacks, the run's time, tool and suite.
func TestContent(t *testing.T) {
	run := resultstest.Sample()
	doc := Build(run, run.Registries[0])
	if doc.SchemaVersion != SchemaVersion || doc.Kind != Kind || !doc.VerifiedAt.Equal(run.StartedAt) || doc.Tool != run.Tool ||
		doc.Suite != run.Suite || doc.Selection != run.Selection {
		t.Errorf("header %+v", doc)
	}
	if len(doc.Capabilities) != len(run.Registries[0].Capabilities) {
		t.Fatalf("%d capabilities, want %d", len(doc.Capabilities), len(run.Registries[0].Capabilities))
	}
	for i, c := range run.Registries[0].Capabilities {
		d := doc.Capabilities[i]
		if d.ID != c.ID || d.Status != c.Status || len(d.Deviations) != len(c.Deviations) || len(d.Fallbacks) != len(c.Fallbacks) {
			t.Errorf("%s: %+v, results say %s with %d deviations", c.ID, d, c.Status, len(c.Deviations))
		}
	}
}

// TestFileNames: one file per registry, names safe for any file system and
// distinct even when registry names differ only in unsafe characters or
// case.
func TestFileNames(t *testing.T) {
	run := &results.Run{Registries: []results.Registry{{Name: "a/b"}, {Name: "a:b"}, {Name: "A-b"}, {Name: "../.."}, {Name: "ok.io"}}}
	got := FileNames(run)
	want := []string{"a-b.json", "a-b-2.json", "A-b-3.json", "registry.json", "ok.io.json"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%v, want %v", got, want)
	}
	dir := filepath.Join(t.TempDir(), "capabilities")
	paths, err := Write(dir, run)
	if err != nil || len(paths) != 5 {
		t.Fatalf("%v %v", paths, err)
	}
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil || filepath.Dir(p) != dir {
			t.Fatalf("%s: %v", p, err)
		}
		var d Document
		if err := json.Unmarshal(data, &d); err != nil || d.Registry.Name != run.Registries[i].Name {
			t.Errorf("%s: %v %+v", p, err, d.Registry)
		}
	}
}
