package e2e

import (
	"context"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// CNCF Distribution 2.8.2, Debian's docker-registry package, as it is
// (issue 21, item 4). Seen with curl on it:
//   - Range: bytes=0-3, -50 and 10- answer 206; a range past the end
//     answers 416 with Content-Length: <blob size> and a shorter body
//     ("transfer closed with 16 bytes remaining to read" for a 49-byte
//     blob);
//   - DELETE of a manifest by tag answers 400 DIGEST_INVALID; DELETE by
//     digest answers 202 and its tags then answer 404 (and the tag list
//     is {"name":"t","tags":null});
//   - GET /v2/t/tags/list?n=2, ?n=2&last=a1 and ?n=1&last=zzzz all answer
//     every tag of the repository, unsorted ({"tags":["v1","a1","a2","a3"]}):
//     it ignores n and last.
//
// So blob-range is supported, delete-tag and tag-list-pagination
// unsupported, and a whole verify
// run lists no leftover and leaves no tag behind.
func TestDistribution28AsItIs(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin, err := zoo.EnsureBinaries(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := zoo.Start(ctx, bin, t.TempDir(), zoo.Spec{Name: "distribution-2.8", Kind: zoo.KindDistribution28, Delete: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = inst.Stop() })
	cfg := writeRawConfig(t, "registries:\n  - name: d28\n    url: "+inst.URL+"\n")
	r := runOcicaps(t, "--config", cfg, "--check", "all", "--verify")
	if r.run == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	reg := registry(t, r.run, "d28")
	c := wantStatus(t, reg, "blob-range", results.Supported)
	short := false
	for _, ex := range c.Exchanges {
		short = short || (ex.Status == http.StatusRequestedRangeNotSatisfiable && strings.Contains(ex.Note, "the body ended after"))
	}
	if !short {
		t.Errorf("blob-range: no 416 exchange notes its short body")
	}
	wantStatus(t, reg, "delete-tag", results.Unsupported, "400 Bad Request (DIGEST_INVALID")
	wantStatus(t, reg, "tag-list-pagination", results.Unsupported)
	if len(reg.Leftovers) > 0 {
		t.Errorf("leftovers listed: %+v", reg.Leftovers)
	}
	repos := filepath.Join(inst.DataDir, "docker", "registry", "v2", "repositories")
	_ = filepath.WalkDir(repos, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "link" || !strings.Contains(p, "/_manifests/tags/") {
			return err
		}
		if rel, _ := filepath.Rel(repos, p); !strings.HasPrefix(rel, zoo.SeedRepo+"/") {
			t.Errorf("a tag is left on the registry: %s", rel)
		}
		return nil
	})
}
