// Command crosscheck runs ocicaps and the official OCI conformance suite
// side by side on the five zoo registries (make crosscheck) and prints, in
// Markdown, the time each took, every behaviour both judge where they
// disagree, and what each left on the registry.
//
//	go run ./cmd/crosscheck [--suite BIN] [--ocicaps BIN] [--registry NAME]... [--keep DIR] [--all] [--markdown FILE]
//
// The registries are started on free loopback ports (internal/zoo), fresh
// for this run, and stopped at the end. On each, one after the other:
// `ocicaps run --verify --check all`, then the suite, configured by a YAML
// file (OCI_CONFIGURATION) and no other OCI_* variable, each timed by wall
// clock. The suite's tests are mapped to ocicaps capabilities by the
// mappings table (compare.go); docs/spec-coverage.md explains the result.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/ocicaps/ocicaps/internal/zoo"
)

// suiteVersion is the pinned version in zoo/go.mod (a tool line).
const suiteVersion = "v0.0.0-20260831232431-97274622c111"

// The repositories the suite writes to.
const (
	suiteRepo1 = "ocicaps-crosscheck/repo1"
	suiteRepo2 = "ocicaps-crosscheck/repo2"
)

type options struct {
	suite, ocicaps string
	registries     multiFlag
	keep           string
	all            bool
	markdown       string
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "crosscheck:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root, err := zoo.RepoRoot()
	if err != nil {
		return err
	}
	var o options
	fl := flag.NewFlagSet("crosscheck", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.StringVar(&o.suite, "suite", filepath.Join(zoo.DefaultBinDir(root), "conformance"), "the conformance suite's binary (make crosscheck builds it)")
	fl.StringVar(&o.ocicaps, "ocicaps", filepath.Join(root, "bin", "ocicaps"), "the ocicaps binary")
	fl.Var(&o.registries, "registry", "run only this zoo registry (repeatable; default all five)")
	fl.StringVar(&o.keep, "keep", "", "keep both tools' reports in this directory (default: a temporary one, removed)")
	fl.BoolVar(&o.all, "all", false, "list every comparison, not only the disagreements")
	fl.StringVar(&o.markdown, "markdown", "", "also write the Markdown report to this file")
	if err := fl.Parse(args); err != nil {
		return err
	}
	specs, err := selectSpecs(o.registries)
	if err != nil {
		return err
	}
	for _, bin := range []string{o.suite, o.ocicaps} {
		if _, err := os.Stat(bin); err != nil {
			return fmt.Errorf("%w (run make crosscheck, which builds it)", err)
		}
	}
	binDir, err := zoo.EnsureBinaries(ctx, root)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "ocicaps-crosscheck-")
	if err != nil {
		return fmt.Errorf("work dir: %w", err)
	}
	defer os.RemoveAll(work)
	reports := o.keep
	if reports == "" {
		reports = filepath.Join(work, "reports")
	}
	insts, err := zoo.StartAll(ctx, binDir, filepath.Join(work, "zoo"), specs)
	if err != nil {
		return err
	}
	defer zoo.StopAll(insts)

	var results []registryResult
	for _, inst := range insts {
		fmt.Fprintf(stderr, "crosscheck: %s (%s)\n", inst.Spec.Name, inst.URL)
		r, err := checkRegistry(ctx, o, inst, filepath.Join(reports, inst.Spec.Name))
		if err != nil {
			return fmt.Errorf("%s: %w", inst.Spec.Name, err)
		}
		fmt.Fprintf(stderr, "crosscheck: %s: suite %s, ocicaps %s\n", inst.Spec.Name, round(r.SuiteWall), round(r.OcicapsWall))
		results = append(results, r)
	}
	var out io.Writer = stdout
	if o.markdown != "" {
		f, err := os.Create(o.markdown)
		if err != nil {
			return fmt.Errorf("markdown: %w", err)
		}
		defer f.Close()
		out = io.MultiWriter(stdout, f)
	}
	writeMarkdown(out, suiteVersion, results, o.all, runtime.NumCPU())
	if o.keep != "" {
		fmt.Fprintf(stderr, "crosscheck: reports kept in %s\n", o.keep)
	}
	return nil
}

func selectSpecs(names []string) ([]zoo.Spec, error) {
	all := zoo.Standard()
	if len(names) == 0 {
		return all, nil
	}
	var out []zoo.Spec
	for _, n := range names {
		found := false
		for _, s := range all {
			if s.Name == n {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no zoo registry %q", n)
		}
	}
	return out, nil
}

// checkRegistry runs ocicaps and then the suite on one registry, each
// timed, and looks at what each left behind.
func checkRegistry(ctx context.Context, o options, inst *zoo.Instance, dir string) (registryResult, error) {
	res := registryResult{Name: inst.Spec.Name}
	ocDir, suiteDir := filepath.Join(dir, "ocicaps"), filepath.Join(dir, "suite")
	for _, d := range []string{ocDir, suiteDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return res, fmt.Errorf("reports: %w", err)
		}
	}
	before := snapshot(inst.DataDir)

	// ocicaps first, on the registry as the e2e tests see it.
	start := time.Now()
	cmd := exec.CommandContext(ctx, o.ocicaps, "run", "--verify", "--check", "all", "--anonymous", "--out", ocDir, inst.URL)
	out, err, use := measureCPU(cmd, inst.Pid())
	res.OcicapsWall, res.OcicapsCPU = time.Since(start), use
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) { // 1: a registry below --fail-on
		return res, fmt.Errorf("ocicaps: %w\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(ocDir, "console.txt"), out, 0o644); err != nil {
		return res, fmt.Errorf("ocicaps console: %w", err)
	}
	caps, err := readOcicapsResults(filepath.Join(ocDir, "results.json"))
	if err != nil {
		return res, err
	}
	afterOcicaps := snapshot(inst.DataDir)
	res.OcicapsTrace = observe(ctx, inst, nil, before, afterOcicaps, nil)

	// then the suite, configured by its YAML file only.
	conf := filepath.Join(suiteDir, "oci-conformance.yaml")
	if err := os.WriteFile(conf, suiteConfig(inst.Host, filepath.Join(suiteDir, "results")), 0o644); err != nil {
		return res, fmt.Errorf("suite config: %w", err)
	}
	start = time.Now()
	cmd = exec.CommandContext(ctx, o.suite)
	cmd.Dir = suiteDir
	cmd.Env = suiteEnv(os.Environ(), conf)
	out, err, use = measureCPU(cmd, inst.Pid())
	res.SuiteWall, res.SuiteCPU = time.Since(start), use
	if err := os.WriteFile(filepath.Join(suiteDir, "console.txt"), out, 0o644); err != nil {
		return res, fmt.Errorf("suite console: %w", err)
	}
	tests, jerr := readSuiteJUnit(filepath.Join(suiteDir, "results", "junit.xml"))
	if jerr != nil {
		return res, fmt.Errorf("suite (exit: %v): %w", err, jerr) // it exits 1 when a test fails
	}
	afterSuite := snapshot(inst.DataDir)
	res.SuiteTrace = observe(ctx, inst, []string{suiteRepo1, suiteRepo2}, afterOcicaps, afterSuite, res.OcicapsTrace.Uploads)
	if err := writeTrace(filepath.Join(ocDir, "trace.txt"), res.OcicapsTrace, before, afterOcicaps); err != nil {
		return res, err
	}
	if err := writeTrace(filepath.Join(suiteDir, "trace.txt"), res.SuiteTrace, afterOcicaps, afterSuite); err != nil {
		return res, err
	}

	res.Comparisons, err = compare(inst.Spec.Name, caps, tests)
	return res, err
}

// suiteConfig is the suite's YAML configuration: this registry over plain
// HTTP, spec 1.1 defaults, plus upload cancel (end-13's DELETE, which
// ocicaps judges as upload-cancel), reports into resultsDir.
func suiteConfig(host, resultsDir string) []byte {
	return []byte(fmt.Sprintf(`version: "1.1"
registry: %q
tls: disabled
repo1: %q
repo2: %q
resultsDir: %q
logging: error
apis:
  blobs:
    uploadCancel: true
`, host, suiteRepo1, suiteRepo2, resultsDir))
}

// suiteEnv is the environment without any OCI_* variable (each would
// override the YAML file) and with OCI_CONFIGURATION naming it.
func suiteEnv(env []string, conf string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "OCI_") {
			out = append(out, kv)
		}
	}
	return append(out, "OCI_CONFIGURATION="+conf)
}

// snapshot lists the files under a registry's storage root (nil for an
// in-memory registry). Upload sessions are counted by OpenUploads instead.
func snapshot(root string) map[string]bool {
	if root == "" {
		return nil
	}
	files := map[string]bool{}
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err == nil && !strings.Contains(filepath.ToSlash(rel), "/_uploads/") {
			files[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	return files
}

// observe reports what a tool left: tags still listed in repos, open upload
// sessions not in earlier, and files added to the storage between two
// snapshots, grouped by area (storageArea).
func observe(ctx context.Context, inst *zoo.Instance, repos []string, before, after map[string]bool, earlier []string) trace {
	var t trace
	for _, repo := range repos {
		tags, err := listTags(ctx, inst.URL, repo)
		if err != nil {
			t.Note = strings.TrimSpace(t.Note + " " + err.Error())
		}
		for _, tag := range tags {
			t.Tags = append(t.Tags, repo+":"+tag)
		}
	}
	uploads, err := inst.OpenUploads()
	switch {
	case errors.Is(err, zoo.ErrNotObservable):
		t.UploadsUnknown = true
	case err != nil:
		t.Note = strings.TrimSpace(t.Note + " uploads: " + err.Error())
	default:
		for _, u := range uploads {
			if !slices.Contains(earlier, u) {
				t.Uploads = append(t.Uploads, u)
			}
		}
	}
	if after != nil {
		t.Files = map[string]int{}
		for f := range after {
			if !before[f] {
				t.Files[storageArea(f)]++
			}
		}
	}
	return t
}

// storageArea groups a storage path: Distribution's global blob store,
// a repository's links, or an olareg repository.
func storageArea(rel string) string {
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		switch p {
		case "blobs":
			if i == 3 && strings.HasPrefix(rel, "docker/registry/v2/") {
				return "blob data"
			}
			return strings.Join(parts[:i], "/")
		case "_layers", "_manifests", "index.json", "oci-layout":
			if i > 4 && strings.HasPrefix(rel, "docker/registry/v2/repositories/") {
				return strings.Join(parts[4:i], "/")
			}
			return strings.Join(parts[:i], "/")
		}
	}
	return rel
}

// listTags lists a repository's tags; a 404 means none.
func listTags(ctx context.Context, base, repo string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v2/"+repo+"/tags/list", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("tags of %s: %w", repo, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("tags of %s: %w", repo, err)
	}
	return parseTags(resp.StatusCode, body)
}

// parseTags reads a tags/list answer (crane serves it as text/plain, so the
// Content-Type is not checked).
func parseTags(status int, body []byte) ([]string, error) {
	if status != http.StatusOK {
		return nil, fmt.Errorf("tags/list: status %d", status)
	}
	var list struct {
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("tags/list: %w", err)
	}
	return list.Tags, nil
}

// writeTrace lists, for the reports, every tag, open upload and file a tool
// left.
func writeTrace(path string, t trace, before, after map[string]bool) error {
	var b strings.Builder
	for _, tag := range t.Tags {
		fmt.Fprintf(&b, "tag %s\n", tag)
	}
	for _, u := range t.Uploads {
		fmt.Fprintf(&b, "upload %s\n", u)
	}
	var files []string
	for f := range after {
		if !before[f] {
			files = append(files, f)
		}
	}
	slices.Sort(files)
	for _, f := range files {
		fmt.Fprintf(&b, "file %s\n", f)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("trace: %w", err)
	}
	return nil
}
