// Package e2e runs the ocicaps binary against the real registries of the
// local zoo, which the tests build (from the Go module proxy) and start
// themselves.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ocicaps/ocicaps/internal/zoo"
	"github.com/ocicaps/ocicaps/report/jsonfile"
	"github.com/ocicaps/ocicaps/results"
)

var (
	root      string
	ocicaps   string // the built binary
	workDir   string // removed when every test is done
	instances map[string]*zoo.Instance
	order     []string
)

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e setup:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var err error
	if root, err = zoo.RepoRoot(); err != nil {
		return 0, err
	}
	bin, err := zoo.EnsureBinaries(ctx, root)
	if err != nil {
		return 0, fmt.Errorf("building the zoo: %w", err)
	}
	work, err := os.MkdirTemp("", "ocicaps-e2e-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(work)
	workDir = work
	ocicaps = filepath.Join(work, "ocicaps")
	build := exec.CommandContext(ctx, "go", "build", "-o", ocicaps, "./cmd/ocicaps")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("go build ./cmd/ocicaps: %v\n%s", err, out)
	}
	insts, err := zoo.StartAll(ctx, bin, filepath.Join(work, "zoo"), zoo.Standard())
	if err != nil {
		return 0, fmt.Errorf("starting the zoo: %w", err)
	}
	defer zoo.StopAll(insts)
	instances = map[string]*zoo.Instance{}
	for _, in := range insts {
		instances[in.Spec.Name] = in
		order = append(order, in.Spec.Name)
	}
	stop, err := startSecured(ctx, bin, filepath.Join(work, "secured"))
	if err != nil {
		return 0, fmt.Errorf("starting the secured registries: %w", err)
	}
	defer stop()
	return m.Run(), nil
}

// writeConfig writes a registries.yaml for the named zoo registries plus
// any extra entries (name → url).
func writeConfig(t *testing.T, names []string, extra map[string]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("registries:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n", n, instances[n].URL)
	}
	for n, u := range extra {
		fmt.Fprintf(&b, "  - name: %s\n    url: %s\n", n, u)
	}
	p := filepath.Join(t.TempDir(), "registries.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type runResult struct {
	code           int
	stdout, stderr string
	out            string // report folder
	run            *results.Run
}

func runOcicaps(t *testing.T, args ...string) runResult {
	t.Helper()
	return runOcicapsEnv(t, nil, args...)
}

// runOcicapsEnv runs ocicaps with extra environment variables (NAME=value).
func runOcicapsEnv(t *testing.T, env []string, args ...string) runResult {
	t.Helper()
	return runOcicapsOut(t, filepath.Join(t.TempDir(), "reports"), env, args...)
}

// runOcicapsOut runs ocicaps writing its reports to out.
func runOcicapsOut(t *testing.T, out string, env []string, args ...string) runResult {
	t.Helper()
	return runOcicapsWithin(t, 5*time.Minute, out, env, args...)
}

// runOcicapsWithin is runOcicapsOut with a time bound of the caller's, for
// runs that are long by nature (every client against every registry).
func runOcicapsWithin(t *testing.T, limit time.Duration, out string, env []string, args ...string) runResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, ocicaps, append(append([]string{"run"}, args...), "--out", out)...)
	// An empty Docker config unless the test gives one: registries without
	// credentials use the Docker config's entry by default, and the
	// machine's own must not change a verdict.
	cmd.Env = append(append(os.Environ(), "DOCKER_CONFIG="+t.TempDir()), env...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	r := runResult{stdout: so.String(), stderr: se.String(), out: out}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running ocicaps: %v", err)
	}
	if run, err := jsonfile.Read(filepath.Join(out, "results.json")); err == nil {
		r.run = run
	} else {
		t.Logf("no results.json: %v", err)
	}
	return r
}

func registry(t *testing.T, run *results.Run, name string) results.Registry {
	t.Helper()
	for _, r := range run.Registries {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("registry %s missing from results.json", name)
	return results.Registry{}
}

func xsdPath() string {
	return filepath.Join(root, "report", "junit", "testdata", "jenkins-junit-10.xsd")
}

func validateJUnit(t *testing.T, file string) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Fatalf("xmllint is missing: run ./scripts/install-test-deps.sh (Debian package libxml2-utils)")
	}
	out, err := exec.Command("xmllint", "--noout", "--schema", xsdPath(), file).CombinedOutput()
	if err != nil {
		t.Errorf("junit.xml does not validate against the Jenkins schema: %v\n%s", err, out)
	}
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return p
}

func httpStatus(t *testing.T, method, url string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func runValidate(t *testing.T, dir string) (string, error) {
	t.Helper()
	out, err := exec.Command(ocicaps, "validate", "--features", dir).CombinedOutput()
	return string(out), err
}
