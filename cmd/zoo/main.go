// Command zoo runs the ocicaps registry zoo: the five standard registries of
// internal/zoo and the Distribution whose blobs are served from another host
// (zoo.Redirected, its storage server on 127.0.0.2) on fixed loopback ports,
// for local runs and CI.
//
//	zoo exec [flags] -- CMD ARGS...   start the zoo, run CMD, stop the zoo, exit with CMD's code
//	zoo serve [flags]                 start the zoo and wait for SIGINT/SIGTERM
//
// Flags:
//
//	--bin DIR        registry binaries (default <repo>/.cache/zoo/bin, built if missing)
//	--work DIR       data and logs (default: a temporary dir, removed afterwards)
//	--base-port N    first port; the registries get N..N+5 in specs order (default 5001)
//
// Exit codes: CMD's own for exec (128+signal if it was killed by one, 127 if it
// could not be started), 1 if the zoo could not start, 2 for usage errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/ocicaps/ocicaps/internal/zoo"
)

const (
	exitZooFailed = 1
	exitUsage     = 2
	exitNotFound  = 127
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  zoo exec [--bin DIR] [--work DIR] [--base-port N] -- CMD ARGS...
  zoo serve [--bin DIR] [--work DIR] [--base-port N]

Starts the ocicaps zoo registries on 127.0.0.1:N..N+5 (default N=5001):
`)
	for n, s := range specs() {
		fmt.Fprintf(w, "  +%d %s\n", n, s.Name)
	}
}

type options struct {
	bin, work string
	basePort  int
	cmd       []string
}

func run(args []string, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "exec", "serve":
	case "-h", "-help", "--help", "help":
		usage(os.Stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "zoo: unknown command %q\n", sub)
		usage(stderr)
		return exitUsage
	}

	var opts options
	fs := flag.NewFlagSet("zoo "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&opts.bin, "bin", "", "directory with the registry binaries (default <repo>/.cache/zoo/bin, built if missing)")
	fs.StringVar(&opts.work, "work", "", "directory for registry data and logs (default: a temporary directory, removed on exit)")
	fs.IntVar(&opts.basePort, "base-port", 5001, "first port; registries use base-port..base-port+5")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	opts.cmd = fs.Args()
	// The registries start in their own working directories: a relative
	// --bin or --work would name nothing there.
	for _, dir := range []*string{&opts.bin, &opts.work} {
		if *dir != "" {
			abs, err := filepath.Abs(*dir)
			if err != nil {
				fmt.Fprintf(stderr, "zoo: %s: %v\n", *dir, err)
				return exitUsage
			}
			*dir = abs
		}
	}
	n := len(specs())
	if opts.basePort < 1 || opts.basePort+n-1 > 65535 {
		fmt.Fprintf(stderr, "zoo: --base-port %d: need %d ports within 1..65535\n", opts.basePort, n)
		return exitUsage
	}
	switch {
	case sub == "exec" && len(opts.cmd) == 0:
		fmt.Fprintln(stderr, "zoo exec: missing command after --")
		return exitUsage
	case sub == "serve" && len(opts.cmd) != 0:
		fmt.Fprintf(stderr, "zoo serve: unexpected arguments %q\n", opts.cmd)
		return exitUsage
	}

	// Catch signals from the start: a Ctrl-C during a cold build or while
	// the registries start must still stop whatever was started.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	startDone := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-startDone:
		}
	}()

	insts, cleanup, err := startZoo(ctx, opts, stderr)
	close(startDone)
	defer cleanup()
	if err != nil {
		// Errors from startZoo carry their own "zoo: " prefix.
		fmt.Fprintln(stderr, err)
		return exitZooFailed
	}
	defer func() {
		if err := zoo.StopAll(insts); err != nil {
			fmt.Fprintf(stderr, "zoo: stopping registries: %v\n", err)
		}
	}()
	if ctx.Err() != nil {
		// Interrupted after the last registry came up but before we got here.
		return exitZooFailed
	}
	for _, inst := range insts {
		fmt.Fprintf(stderr, "zoo: %-26s %s\n", inst.Spec.Name, inst.URL)
	}

	if sub == "serve" {
		fmt.Fprintln(stderr, "zoo: serving; press Ctrl-C to stop")
		sig := <-sigs
		fmt.Fprintf(stderr, "zoo: %v, stopping\n", sig)
		return 0
	}
	return runCommand(opts.cmd, sigs, stderr)
}

// startZoo finds or builds the binaries and starts the standard registries
// on fixed ports. cleanup removes a temporary work dir; call it after the
// registries are stopped.
func startZoo(ctx context.Context, opts options, stderr io.Writer) (insts []*zoo.Instance, cleanup func(), err error) {
	cleanup = func() {}
	binDir := opts.bin
	if binDir == "" {
		root, err := zoo.RepoRoot()
		if err != nil {
			return nil, cleanup, fmt.Errorf("%w (run inside the repository or pass --bin)", err)
		}
		binDir = zoo.DefaultBinDir(root)
		if err := ensure(ctx, root, binDir, stderr); err != nil {
			return nil, cleanup, err
		}
	} else if !haveBinaries(binDir) {
		// An explicit --bin without binaries: build into it if we can.
		root, err := zoo.RepoRoot()
		if err != nil {
			return nil, cleanup, fmt.Errorf("zoo: --bin %s lacks the registry binaries and they cannot be built here: %w", binDir, err)
		}
		if err := ensure(ctx, root, binDir, stderr); err != nil {
			return nil, cleanup, err
		}
	}

	work := opts.work
	if work == "" {
		work, err = os.MkdirTemp("", "ocicaps-zoo-*")
		if err != nil {
			return nil, cleanup, fmt.Errorf("zoo: creating work dir: %w", err)
		}
		cleanup = func() { _ = os.RemoveAll(work) }
	}

	specs := specs()
	for n := range specs {
		specs[n].Port = opts.basePort + n
	}
	insts, err = zoo.StartAll(ctx, binDir, work, specs)
	if err != nil {
		return nil, cleanup, err
	}
	return insts, cleanup, nil
}

// specs are the registries the zoo runs, in port order: the standard ones,
// then the Distribution that redirects blob reads to its storage server
// (whose own port the kernel picks on 127.0.0.2).
func specs() []zoo.Spec {
	return append(zoo.Standard(), zoo.Redirected())
}

func ensure(ctx context.Context, root, binDir string, stderr io.Writer) error {
	if !haveBinaries(binDir) {
		// A cold build takes a minute or more; say why nothing happens.
		fmt.Fprintf(stderr, "zoo: building registries into %s (first time takes a while)\n", binDir)
	}
	// EnsureBinariesIn's errors already say "zoo: " and what failed.
	return zoo.EnsureBinariesIn(ctx, root, binDir)
}

func haveBinaries(dir string) bool {
	for _, t := range zoo.Tools {
		if fi, err := os.Stat(filepath.Join(dir, t.Name)); err != nil || fi.IsDir() {
			return false
		}
	}
	return true
}

// runCommand runs the user's command with our stdio, forwards SIGINT and
// SIGTERM to it and waits for it to finish, so the registries stay up while
// it cleans up; the caller stops them afterwards. It returns the exit code
// to exit with.
func runCommand(argv []string, sigs <-chan os.Signal, stderr io.Writer) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "zoo: %v\n", err)
		return exitNotFound
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case sig := <-sigs:
			// Best effort: the command may already be exiting.
			_ = cmd.Process.Signal(sig)
		case err := <-done:
			return exitCode(err, stderr)
		}
	}
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		fmt.Fprintf(stderr, "zoo: waiting for command: %v\n", err)
		return exitZooFailed
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		// Shell convention, so `zoo exec -- go test` killed by SIGINT looks
		// the same to CI as the bare command would.
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}
