package e2e

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/results"
)

// Registries shaped like real ones (zoo/README.md, "Shaped like real
// registries"). The expected verdicts are the truth table there, found with
// curl, not what ocicaps said. Every run uses the default configuration
// except testRepository, TLS and credentials.

const (
	S = results.Supported
	U = results.Unsupported
	E = results.Error
)

type shapes struct {
	ca                *zoo.CA
	token, cache, ro  *zoo.Instance
	ownerPW, readerPW string
}

func startShapes(t *testing.T) *shapes {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	bin, err := zoo.EnsureBinaries(ctx, root)
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	s := &shapes{ownerPW: secret("owner"), readerPW: secret("reader")}
	if s.ca, err = zoo.NewCA(work); err != nil {
		t.Fatal(err)
	}
	ts, err := zoo.StartTokenServer(work, s.ca, map[string]string{"owner": s.ownerPW, "reader": s.readerPW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ts.Close)
	ts.Policy = &zoo.NamespacePolicy{Owners: map[string]string{"owner": "acme"},
		Readers: map[string][]string{"reader": {"acme"}}, Public: []string{"library"}}
	seedToken, err := ts.Mint("admin", "repository:library/alpine:pull,push", "repository:acme/alpine:pull,push")
	if err != nil {
		t.Fatal(err)
	}
	cert, key, _, err := s.ca.Issue(work, "shaped-token")
	if err != nil {
		t.Fatal(err)
	}
	start := func(spec zoo.Spec) *zoo.Instance {
		inst, err := zoo.Start(ctx, bin, work, spec)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = inst.Stop() })
		return inst
	}
	s.token = start(zoo.Spec{Name: "shaped-token", Kind: zoo.KindDistribution, Delete: true, Token: &ts.Spec,
		TLS: &zoo.TLSSpec{CertFile: cert, KeyFile: key, RootCAs: s.ca.Pool}, SeedRepos: []string{"acme/alpine"},
		Authorize: func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+seedToken) }})
	upstream := start(zoo.Spec{Name: "shaped-upstream", Kind: zoo.KindDistribution, Delete: true})
	s.cache = start(zoo.Spec{Name: "shaped-cache", Kind: zoo.KindDistribution, Delete: true, Proxy: upstream.URL})
	s.ro = start(zoo.Spec{Name: "shaped-readonly", Kind: zoo.KindDistribution, Delete: true, ReadOnly: true})
	return s
}

func (s *shapes) config(t *testing.T) string {
	t.Helper()
	user := func(name, url, who, env string) []string {
		return []string{"  - name: " + name, "    url: " + url, "    testRepository: acme/alpine",
			"    tls: {caFile: " + s.ca.File + "}", "    credentials: {username: " + who + ", passwordEnv: " + env + "}"}
	}
	lines := append([]string{"registries:"}, user("owner", s.token.URL, "owner", "SHAPE_OWNER_PW")...)
	lines = append(lines, user("reader", s.token.URL, "reader", "SHAPE_READER_PW")...)
	lines = append(lines, "  - name: cache", "    url: "+s.cache.URL, "  - name: readonly", "    url: "+s.ro.URL)
	p := filepath.Join(t.TempDir(), "registries.yaml")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type matrix map[string]map[string]results.Status

func row(dv, ref, chunked, mount, del results.Status) map[string]results.Status {
	return map[string]results.Status{"distribution-version": dv, "referrers": ref, "chunked-upload": chunked, "cross-repo-mount": mount, "delete": del}
}

func TestRealShapedRegistries(t *testing.T) {
	s := startShapes(t)
	cfg := s.config(t)
	env := []string{"SHAPE_OWNER_PW=" + s.ownerPW, "SHAPE_READER_PW=" + s.readerPW}
	t.Run("probe", func(t *testing.T) {
		r := runOcicapsEnv(t, env, "--config", cfg)
		checkMatrix(t, r, matrix{
			"owner":    row(S, U, S, S, S),
			"reader":   row(S, U, E, E, S), // 401 on push: about us, not the registry
			"cache":    row(S, U, U, U, S), // 405 UNSUPPORTED; OPTIONS still lists DELETE
			"readonly": row(S, U, U, U, U), // 405, Allow: GET, HEAD
		})
		reader := registry(t, r.run, "reader")
		for id, says := range map[string]string{"chunked-upload": "may not push to the test repository acme/alpine", "cross-repo-mount": "set mountRepository"} {
			if c := capability(t, reader, id); !strings.Contains(c.Reason, says) || !strings.Contains(c.Reason, "401 Unauthorized") {
				t.Errorf("reader: %s: reason %q should name the 401 and say %q", id, c.Reason, says)
			}
		}
		assertNoSecrets(t, r, s.ownerPW, s.readerPW)
	})
	t.Run("verify", func(t *testing.T) {
		r := runOcicapsEnv(t, env, "--config", cfg, "--verify")
		checkMatrix(t, r, matrix{
			"owner":    row(S, U, S, S, S),
			"reader":   row(E, E, E, E, E), // may not push to acme/ocicaps-verify-…
			"cache":    row(E, E, E, E, E), // refuses every push: verify cannot set up
			"readonly": row(E, E, E, E, E),
		})
		for _, name := range []string{"reader", "cache", "readonly"} {
			if n := strings.Count(r.stdout+r.stderr, name+": WARNING: verify mode could not open an upload session"); n != 1 {
				t.Errorf("%s: the preflight refusal was said %d times, want once\n%s", name, n, r.stdout)
			}
		}
		checkNothingLeft(t, s.token, r)
	})
}

func checkMatrix(t *testing.T, r runResult, want matrix) {
	t.Helper()
	if r.run == nil {
		t.Fatalf("no results (exit %d)\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for name, caps := range want {
		reg := registry(t, r.run, name)
		for id, st := range caps {
			c := capability(t, reg, id)
			if c.Status != st {
				t.Errorf("%s: %s = %s (%s), want %s", name, id, c.Status, c.Reason, st)
			}
			if strings.Contains(c.Reason, "mismatch") || strings.Contains(c.Reason, "Asked, the registry says") {
				t.Errorf("%s: %s: a mismatch on a registry that answered consistently: %s", name, id, c.Reason)
			}
		}
	}
}

// checkNothingLeft looks at the token registry's storage: no upload
// session open and no blob or manifest link left in any repository but the
// seeded ones.
func checkNothingLeft(t *testing.T, inst *zoo.Instance, r runResult) {
	t.Helper()
	if reg := registry(t, r.run, "owner"); len(reg.Leftovers) > 0 {
		t.Errorf("owner: leftovers reported: %+v", reg.Leftovers)
	}
	if open, err := inst.OpenUploads(); err != nil || len(open) > 0 {
		t.Errorf("open upload sessions: %v (err %v)", open, err)
	}
	repos := filepath.Join(inst.DataDir, "docker", "registry", "v2", "repositories")
	err := filepath.WalkDir(repos, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "link" {
			return err
		}
		rel, _ := filepath.Rel(repos, p)
		if !strings.HasPrefix(rel, "acme/alpine/") && !strings.HasPrefix(rel, "library/alpine/") {
			t.Errorf("left behind on the registry: %s", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(fmt.Errorf("walking %s: %w", repos, err))
	}
}
