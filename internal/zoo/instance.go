package zoo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// readyTimeout bounds how long Start waits for GET /v2/ to answer. The
// registries start in well under a second; the margin is for a loaded 2-core
// CI machine running several test packages at once.
const readyTimeout = 30 * time.Second

// freePortAttempts is how often Start retries with a new port when it picked
// the port itself and another process grabbed it between our probe and the
// registry's bind.
const freePortAttempts = 3

// Instance is one running registry.
type Instance struct {
	Spec       Spec
	URL        string // "http://127.0.0.1:PORT", no trailing slash
	Host       string // "127.0.0.1:PORT", for image references
	Port       int
	Dir        string // <workDir>/<Spec.Name>: config, log and data of this instance
	DataDir    string // storage root; empty for in-memory registries (crane)
	LogPath    string // the registry's stdout and stderr
	SeedDigest string // manifest digest of the seeded library/alpine:latest
	// Storage serves the data directory when Spec.RedirectStorage is set.
	Storage *StorageServer

	cmd      *exec.Cmd
	done     chan struct{} // closed when the process has been reaped
	waitErr  error         // valid after done is closed
	stopOnce sync.Once
	stopErr  error
	readOnly bool // the config being written has maintenance.readonly on
}

// Start starts one registry on 127.0.0.1, waits until GET /v2/ answers, seeds
// SeedRepo:SeedTag and returns the running instance.
//
// Start owns <workDir>/<spec.Name>: whatever is there is removed first, so a
// reused work dir never leaks data (or upload sessions) from an earlier run.
// The caller must Stop the instance, also when the test fails: register
// t.Cleanup(func() { _ = inst.Stop() }) or defer it right after Start.
//
// With spec.Port set and that port busy, Start fails with an error naming the
// port; with spec.Port 0 it picks a free loopback port (and retries with
// another if it loses a race for it).
func Start(ctx context.Context, binDir, workDir string, spec Spec) (*Instance, error) {
	if spec.Name == "" || strings.ContainsAny(spec.Name, `/\`) || spec.Name == "." || spec.Name == ".." {
		return nil, fmt.Errorf("zoo: invalid instance name %q", spec.Name)
	}
	switch spec.Kind {
	case KindDistribution, KindCrane, KindOlareg, KindDistribution28:
	default:
		return nil, fmt.Errorf("zoo: %s: unknown registry kind %q", spec.Name, spec.Kind)
	}
	attempts := 1
	if spec.Port == 0 {
		attempts = freePortAttempts
	}
	var lastErr error
	for range attempts {
		inst, err := startOnce(ctx, binDir, workDir, spec)
		if err == nil {
			return inst, nil
		}
		lastErr = err
		if !errors.Is(err, errAddrInUse) || ctx.Err() != nil {
			break
		}
	}
	return nil, lastErr
}

// errAddrInUse marks a start that failed because the port was taken.
var errAddrInUse = errors.New("address already in use")

func startOnce(ctx context.Context, binDir, workDir string, spec Spec) (*Instance, error) {
	port := spec.Port
	if port == 0 {
		p, err := freePort()
		if err != nil {
			return nil, fmt.Errorf("zoo: %s: %w", spec.Name, err)
		}
		port = p
	} else if err := checkPortFree(port); err != nil {
		// Checked up front because a registry that fails to bind may exit
		// after our readiness probe has already been answered by whatever
		// holds the port, and we would "start" someone else's server.
		return nil, fmt.Errorf("zoo: %s: port %d on 127.0.0.1 is busy (is another zoo or registry running?): %w", spec.Name, port, err)
	}

	dir, err := filepath.Abs(filepath.Join(workDir, spec.Name))
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: work dir: %w", spec.Name, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("zoo: %s: clearing %s: %w", spec.Name, dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("zoo: %s: creating %s: %w", spec.Name, dir, err)
	}
	host := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	scheme := "http://"
	if spec.TLS != nil {
		scheme = "https://"
	}
	inst := &Instance{
		Spec:    spec,
		URL:     scheme + host,
		Host:    host,
		Port:    port,
		Dir:     dir,
		LogPath: filepath.Join(dir, "registry.log"),
		done:    make(chan struct{}),
	}
	inst.Spec.Port = port

	args, err := inst.command(binDir)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: %w", spec.Name, err)
	}
	if inst.DataDir != "" {
		if err := os.MkdirAll(inst.DataDir, 0o755); err != nil {
			return nil, fmt.Errorf("zoo: %s: creating data dir: %w", spec.Name, err)
		}
	}
	logFile, err := os.Create(inst.LogPath)
	if err != nil {
		return nil, fmt.Errorf("zoo: %s: creating log: %w", spec.Name, err)
	}
	// Not CommandContext: the instance outlives Start's ctx and is ended by
	// Stop, not by the ctx that was only meant to bound starting it.
	if err := inst.launch(ctx, args, logFile); err != nil {
		return nil, err
	}
	if err := inst.seedAll(ctx); err != nil {
		_ = inst.Stop()
		return nil, err
	}
	if spec.ReadOnly {
		if err := inst.restartReadOnly(ctx, binDir); err != nil {
			_ = inst.Stop()
			return nil, fmt.Errorf("zoo: %s: %w", spec.Name, err)
		}
	}
	return inst, nil
}

// launch starts the registry process with args, logging to logFile, and
// waits until it answers.
func (inst *Instance) launch(ctx context.Context, args []string, logFile *os.File) error {
	spec, port := inst.Spec, inst.Port
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = inst.Dir
	cmd.Env = registryEnv()
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	setProcAttr(cmd)
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return fmt.Errorf("zoo: %s: starting %s: %w", spec.Name, args[0], err)
	}
	inst.cmd = cmd
	go func() {
		inst.waitErr = cmd.Wait()
		_ = logFile.Close()
		close(inst.done)
	}()

	if err := inst.waitReady(ctx); err != nil {
		_ = inst.Stop()
		if strings.Contains(inst.LogTail(), "address already in use") {
			err = fmt.Errorf("%w (port %d): %w", errAddrInUse, port, err)
		}
		return fmt.Errorf("zoo: %s: %w", spec.Name, err)
	}
	return nil
}

// seedAll seeds SeedRepo and Spec.SeedRepos; a pull-through cache is not
// seeded (it refuses pushes) and serves what its upstream holds.
func (inst *Instance) seedAll(ctx context.Context) error {
	spec := inst.Spec
	if spec.Proxy != "" {
		img, err := SeedImage()
		if err != nil {
			return err
		}
		inst.SeedDigest = img.ManifestDigest
		return nil
	}
	for _, repo := range append([]string{SeedRepo}, spec.SeedRepos...) {
		digest, err := seed(ctx, spec.httpClient(30*time.Second), spec.Authorize, inst.URL, repo, SeedTag)
		if err != nil {
			return fmt.Errorf("zoo: %s: seeding %s:%s: %w\n%s", spec.Name, repo, SeedTag, err, inst.LogTail())
		}
		inst.SeedDigest = digest
	}
	return nil
}

// command returns the registry's command line, writing any config it needs.
func (i *Instance) command(binDir string) ([]string, error) {
	switch i.Spec.Kind {
	case KindDistribution:
		i.DataDir = filepath.Join(i.Dir, "data")
		cfg := filepath.Join(i.Dir, "config.yml")
		tlsYAML, authYAML, err := securityConfig(i.Spec, i.Dir)
		if err != nil {
			return nil, err
		}
		conf := append(distributionConfig(i.DataDir, i.Host, i.Spec.Delete, i.readOnly, tlsYAML), authYAML...)
		redirect, err := i.redirectConfig()
		if err != nil {
			return nil, err
		}
		conf = append(conf, redirect...)
		if err := os.WriteFile(cfg, append(conf, i.shapeConfig()...), 0o644); err != nil {
			return nil, fmt.Errorf("writing config: %w", err)
		}
		return []string{filepath.Join(binDir, "registry"), "serve", cfg}, nil
	}
	if i.Spec.TLS != nil || len(i.Spec.Htpasswd) > 0 || i.Spec.Token != nil || i.Spec.Proxy != "" || i.Spec.ReadOnly || i.Spec.RedirectStorage {
		return nil, fmt.Errorf("TLS and auth are only supported for %s", KindDistribution)
	}
	switch i.Spec.Kind {
	case KindCrane:
		// In memory: crane's registry keeps upload sessions in memory even
		// with --disk, so disk storage would not make them observable.
		return []string{filepath.Join(binDir, "crane"), "registry", "serve", "--address", i.Host}, nil
	case KindOlareg:
		// The directory store keeps each upload session as a temp file under
		// <repo>/_uploads, which is what lets OpenUploads see them.
		i.DataDir = filepath.Join(i.Dir, "data")
		return []string{
			filepath.Join(binDir, "olareg"), "serve",
			"--addr", "127.0.0.1",
			"--port", strconv.Itoa(i.Port),
			"--store-type", "dir",
			"--dir", i.DataDir,
			"--api-delete=" + strconv.FormatBool(i.Spec.Delete),
			"--api-blob-delete=" + strconv.FormatBool(i.Spec.Delete),
			"--api-referrer=" + strconv.FormatBool(i.Spec.Referrers),
			"-v", "warn",
		}, nil
	case KindDistribution28:
		return i.distribution28Command()
	}
	return nil, fmt.Errorf("unknown registry kind %q", i.Spec.Kind)
}

// distribution28Command runs Debian's docker-registry with the same
// config as Distribution v3 (2.8 reads the same keys).
func (i *Instance) distribution28Command() ([]string, error) {
	bin, err := exec.LookPath("docker-registry")
	if err != nil {
		return nil, fmt.Errorf("Distribution 2.8 is Debian's docker-registry package, which is not installed: run scripts/install-test-deps.sh (or apt-get install docker-registry): %w", err)
	}
	i.DataDir = filepath.Join(i.Dir, "data")
	cfg := filepath.Join(i.Dir, "config.yml")
	if err := os.WriteFile(cfg, distributionConfig(i.DataDir, i.Host, i.Spec.Delete, false, ""), 0o644); err != nil {
		return nil, fmt.Errorf("writing config: %w", err)
	}
	return []string{bin, "serve", cfg}, nil
}

// distributionConfig renders a Distribution config.yml. Paths are written as
// JSON strings, which YAML reads as double-quoted scalars, so any path is safe.
func distributionConfig(dataDir, addr string, deleteEnabled, readOnly bool, tlsYAML string) []byte {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var b bytes.Buffer
	fmt.Fprintf(&b, `# Written by ocicaps internal/zoo; regenerated on every start.
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: %t
  maintenance:
    # Purging would remove upload sessions behind OpenUploads' back.
    uploadpurging:
      enabled: false
    readonly:
      enabled: %t
http:
  addr: %s
  # A fixed secret avoids the "generated random secret" warning; upload state
  # is only signed with it, and these registries are throwaway.
  secret: ocicaps-zoo-not-a-secret
  # No http.debug: the debug server would need a second port.
%shealth:
  storagedriver:
    enabled: false
`, q(dataDir), deleteEnabled, readOnly, q(addr), tlsYAML)
	return b.Bytes()
}

// registryEnv is the environment for registry processes: ours, minus
// variables that would silently reconfigure them (Distribution reads
// REGISTRY_* as config overrides and OTEL_* for tracing), with tracing export
// off so Distribution does not try to reach an OTLP collector on localhost.
func registryEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "REGISTRY_") || strings.HasPrefix(kv, "OTEL_") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"OTEL_TRACES_EXPORTER=none",
		"OTEL_METRICS_EXPORTER=none",
		"OTEL_LOGS_EXPORTER=none",
	)
}

// waitReady polls GET /v2/ until the registry answers with any HTTP status
// (an auth-protected registry answers 401, which still means it is up).
func (i *Instance) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	client := i.Spec.httpClient(2 * time.Second)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var lastErr error
	for {
		select {
		case <-i.done:
			return fmt.Errorf("registry exited before answering (%v); log %s:\n%s", i.waitErr, i.LogPath, i.LogTail())
		default:
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, i.URL+"/v2/", nil)
		if err != nil {
			return fmt.Errorf("readiness probe: %w", err)
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			// Make sure the answer came from our process, not from whatever
			// else might have the port.
			select {
			case <-i.done:
				return fmt.Errorf("registry exited (%v) although GET /v2/ answered %s — is another server on port %d? log %s:\n%s",
					i.waitErr, resp.Status, i.Port, i.LogPath, i.LogTail())
			default:
			}
			return nil
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("GET %s/v2/ did not answer within %v (last error: %v): %w; log %s:\n%s",
				i.URL, readyTimeout, lastErr, ctx.Err(), i.LogPath, i.LogTail())
		case <-i.done:
		case <-tick.C:
		}
	}
}

// LogTail returns the end of the registry's log (about 2000 bytes, whole
// lines), for error and test failure messages.
func (i *Instance) LogTail() string {
	b, err := os.ReadFile(i.LogPath)
	if err != nil {
		return fmt.Sprintf("(log unreadable: %v)", err)
	}
	const max = 2000
	if len(b) > max {
		b = b[len(b)-max:]
		if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
			b = b[nl+1:]
		}
	}
	s := strings.TrimRight(string(b), "\n")
	if s == "" {
		return "(log empty)"
	}
	return s
}

// Stop kills the registry (its whole process group on Linux) and waits for
// it to exit. It is idempotent and safe to call concurrently; every call
// returns the result of the first.
func (i *Instance) Stop() error {
	i.stopOnce.Do(func() {
		defer i.Storage.close()
		if i.cmd == nil || i.cmd.Process == nil {
			return
		}
		select {
		case <-i.done:
			// Already exited on its own (crashed); nothing to kill.
			return
		default:
		}
		// SIGKILL rather than a graceful shutdown: the registries are
		// throwaway and a graceful drain only slows every test down.
		if err := killProcess(i.cmd); err != nil && !errors.Is(err, os.ErrProcessDone) {
			i.stopErr = fmt.Errorf("zoo: %s: killing pid %d: %w", i.Spec.Name, i.cmd.Process.Pid, err)
		}
		select {
		case <-i.done:
		case <-time.After(10 * time.Second):
			i.stopErr = errors.Join(i.stopErr, fmt.Errorf("zoo: %s: pid %d did not exit within 10s of SIGKILL", i.Spec.Name, i.cmd.Process.Pid))
		}
	})
	return i.stopErr
}

// Exited reports whether the registry process has ended.
func (i *Instance) Exited() bool {
	select {
	case <-i.done:
		return true
	default:
		return false
	}
}

// Pid returns the registry's process id.
func (i *Instance) Pid() int {
	if i.cmd == nil || i.cmd.Process == nil {
		return 0
	}
	return i.cmd.Process.Pid
}

// StartAll starts the given registries concurrently and returns them in the
// order of specs. If any fails, it stops the ones that started and returns
// all the errors. The caller must Stop every returned instance (StopAll).
func StartAll(ctx context.Context, binDir, workDir string, specs []Spec) ([]*Instance, error) {
	insts := make([]*Instance, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for n, spec := range specs {
		wg.Go(func() {
			insts[n], errs[n] = Start(ctx, binDir, workDir, spec)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		_ = StopAll(insts)
		return nil, err
	}
	return insts, nil
}

// StopAll stops every non-nil instance and returns all errors.
func StopAll(insts []*Instance) error {
	var errs []error
	for _, inst := range insts {
		if inst != nil {
			errs = append(errs, inst.Stop())
		}
	}
	return errors.Join(errs...)
}

// freePort asks the kernel for a free loopback port. The port is free only
// until someone else takes it; Start retries on that race.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("picking a free port: %w", err)
	}
	defer l.Close()
	addr, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return 0, fmt.Errorf("picking a free port: unexpected listener address %v", l.Addr())
	}
	return addr.Port, nil
}

// checkPortFree reports an error if 127.0.0.1:port cannot be bound.
func checkPortFree(port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return err
	}
	return l.Close()
}
