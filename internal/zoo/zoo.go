// Package zoo builds, starts, seeds and stops the real OCI registries that
// ocicaps is tested against ("the zoo"): CNCF Distribution, go-containerregistry's
// crane registry and olareg, each built from the pinned tools module in
// <repo>/zoo so that the main module does not depend on any of them.
//
// Typical use in a test:
//
//	root, err := zoo.RepoRoot()
//	binDir, err := zoo.EnsureBinaries(ctx, root)
//	inst, err := zoo.Start(ctx, binDir, t.TempDir(), zoo.Standard()[0])
//	t.Cleanup(func() { _ = inst.Stop() }) // always, so a failing test stops it too
//
// Every registry runs in its own process group with a parent-death signal, so
// a test binary that is killed outright does not leave registries behind.
//
// The package uses the standard library, plus golang.org/x/crypto/bcrypt for
// htpasswd files, on purpose: the main go.mod must not grow the registries'
// dependency trees. Secured registries (TLS, htpasswd, token auth with a
// token service of the test's own) are in secure.go and token.go.
package zoo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Kinds of registry the zoo can run.
const (
	KindDistribution = "distribution"
	KindCrane        = "crane"
	KindOlareg       = "olareg"
	// KindDistribution28 is CNCF Distribution 2.8.2 as Debian packages it
	// (docker-registry, found on PATH; scripts/install-test-deps.sh
	// installs it): what many self-hosted installs still run, with the
	// quirks of its time (issue 21: a 416 whose body is shorter than its
	// Content-Length, tags deleted only with their manifest, "tags": null).
	KindDistribution28 = "distribution-2.8"
)

// Names of the standard configurations, in Standard order.
const (
	NameDistribution         = "zoo-distribution"
	NameDistributionNoDelete = "zoo-distribution-nodelete"
	NameCrane                = "zoo-crane"
	NameOlareg               = "zoo-olareg"
	NameOlaregNoReferrers    = "zoo-olareg-noreferrers"
)

// toolModuleDir is the tools module, relative to the repository root. Its
// go.mod pins the registry versions; RepoRoot looks for it to find the root.
const toolModuleDir = "zoo"

// Tool describes one binary built from the tools module.
type Tool struct {
	Name    string // file name in the bin dir
	Package string // import path in the tools module
}

// Tools lists the binaries EnsureBinaries builds. The versions come from
// zoo/go.mod, not from here.
var Tools = []Tool{
	{Name: "registry", Package: "github.com/distribution/distribution/v3/cmd/registry"},
	{Name: "crane", Package: "github.com/google/go-containerregistry/cmd/crane"},
	{Name: "olareg", Package: "github.com/olareg/olareg/cmd/olareg"},
}

// Spec describes one registry configuration.
//
// Delete and Referrers are applied where the kind has such a knob and ignored
// otherwise: Distribution has a delete switch (storage.delete.enabled) but no
// referrers switch; olareg has both (--api-delete/--api-blob-delete,
// --api-referrer); crane's registry has no knobs at all. What each registry
// actually does is found by trying it (see zoo/README.md), not by reading Spec.
type Spec struct {
	Name      string // unique within a run; also the instance's directory name under workDir
	Kind      string // KindDistribution, KindCrane or KindOlareg
	Delete    bool   // enable manifest and blob deletion
	Referrers bool   // enable the referrers API
	Port      int    // 0: pick a free loopback port

	// Distribution only (secure.go, token.go): HTTPS, Basic auth for
	// these users (name → password), or token auth. Authorize, when set,
	// adds credentials to the zoo's own seeding requests.
	TLS       *TLSSpec
	Htpasswd  map[string]string
	Token     *TokenSpec
	Authorize func(*http.Request)

	// Real-registry shapes (shapes.go), Distribution only. SeedRepos are
	// seeded besides SeedRepo. Proxy makes it a pull-through cache of that
	// URL (proxy.remoteurl), seeded by nothing: it refuses pushes. ReadOnly
	// seeds, then restarts it with storage.maintenance.readonly.enabled.
	SeedRepos []string
	Proxy     string
	ReadOnly  bool
	// RedirectStorage (redirect.go), Distribution only: blob reads answer
	// 307 to a storage server on StorageHost serving the data directory.
	RedirectStorage bool
}

// Standard returns the five standard zoo configurations, in a fixed order
// (cmd/zoo assigns fixed ports in this order).
func Standard() []Spec {
	return []Spec{
		{Name: NameDistribution, Kind: KindDistribution, Delete: true},
		{Name: NameDistributionNoDelete, Kind: KindDistribution, Delete: false},
		{Name: NameCrane, Kind: KindCrane},
		{Name: NameOlareg, Kind: KindOlareg, Delete: true, Referrers: true},
		{Name: NameOlaregNoReferrers, Kind: KindOlareg, Delete: false, Referrers: false},
	}
}

// RepoRoot finds the repository root: the nearest directory, from the working
// directory upwards, that contains zoo/go.mod. Tests run with the package
// directory as working directory, so this works from any package.
func RepoRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("zoo: finding repository root: %w", err)
	}
	for dir := wd; ; {
		if fi, err := os.Stat(filepath.Join(dir, toolModuleDir, "go.mod")); err == nil && !fi.IsDir() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("zoo: no %s/go.mod in %s or any parent directory", toolModuleDir, wd)
		}
		dir = parent
	}
}

// DefaultBinDir is where EnsureBinaries puts the binaries: a gitignored cache
// inside the repository, so every checkout has its own pinned builds.
func DefaultBinDir(root string) string {
	return filepath.Join(root, ".cache", "zoo", "bin")
}

// EnsureBinaries makes sure the zoo binaries in DefaultBinDir(root) exist and
// are not older than zoo/go.mod (or zoo/go.sum), building them with
// `go build` in the tools module otherwise. It returns the bin dir.
//
// A cold build downloads modules and compiles for a minute or more; a warm one
// (Go build cache populated) takes a few seconds, and when the binaries are
// fresh no go command runs at all.
func EnsureBinaries(ctx context.Context, root string) (string, error) {
	binDir := DefaultBinDir(root)
	if err := EnsureBinariesIn(ctx, root, binDir); err != nil {
		return "", err
	}
	return binDir, nil
}

// EnsureBinariesIn is EnsureBinaries with a caller-chosen bin dir.
//
// It is safe to call from several processes at once (go test runs packages in
// parallel): builders serialise on a lock file next to binDir, re-check after
// taking it so only the first one builds, and each binary is built into a
// temporary directory and renamed into place, so nobody ever executes a
// half-written file, not even after a crashed build.
func EnsureBinariesIn(ctx context.Context, root, binDir string) error {
	modDir := filepath.Join(root, toolModuleDir)
	fresh, err := binariesFresh(modDir, binDir)
	if err != nil {
		return err
	}
	if fresh {
		return nil
	}
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return fmt.Errorf("zoo: creating bin dir: %w", err)
	}
	unlock, err := lockFile(ctx, binDir+".lock")
	if err != nil {
		return fmt.Errorf("zoo: locking bin dir %s: %w", binDir, err)
	}
	defer unlock()
	// Someone else may have built while we waited for the lock.
	if fresh, err := binariesFresh(modDir, binDir); err != nil || fresh {
		return err
	}
	return buildBinaries(ctx, modDir, binDir)
}

// binariesFresh reports whether every tool exists in binDir and is at least as
// new as the tools module's go.mod and go.sum (the files that pin versions).
func binariesFresh(modDir, binDir string) (bool, error) {
	var newest time.Time
	for _, f := range []string{"go.mod", "go.sum"} {
		fi, err := os.Stat(filepath.Join(modDir, f))
		if errors.Is(err, os.ErrNotExist) && f == "go.sum" {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("zoo: tools module: %w", err)
		}
		if fi.ModTime().After(newest) {
			newest = fi.ModTime()
		}
	}
	for _, t := range Tools {
		fi, err := os.Stat(filepath.Join(binDir, t.Name))
		if errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("zoo: checking %s: %w", t.Name, err)
		}
		if fi.ModTime().Before(newest) {
			return false, nil
		}
	}
	return true, nil
}

func buildBinaries(ctx context.Context, modDir, binDir string) error {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("zoo: building registries needs the go command: %w", err)
	}
	// The temporary dir sits next to binDir so the renames below stay on one
	// filesystem and are atomic.
	tmp, err := os.MkdirTemp(filepath.Dir(binDir), ".build-*")
	if err != nil {
		return fmt.Errorf("zoo: creating build dir: %w", err)
	}
	defer os.RemoveAll(tmp)

	args := []string{"build", "-o", tmp + string(filepath.Separator)}
	for _, t := range Tools {
		args = append(args, t.Package)
	}
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = modDir
	// A go.work at the repository root (if someone adds one) must not pull the
	// tools module into the main workspace or reject it.
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("zoo: go %v in %s: %w\n%s", args, modDir, err, out)
	}
	for _, t := range Tools {
		if err := os.Rename(filepath.Join(tmp, t.Name), filepath.Join(binDir, t.Name)); err != nil {
			return fmt.Errorf("zoo: installing %s: %w", t.Name, err)
		}
	}
	return nil
}
