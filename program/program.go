// Package program is ocicaps' second driver: it runs a client program
// (oras, crane, regctl, …) against a registry for a scenario and records
// what it did, as package client does for an HTTP request.
//
// A run is bounded and leaves nothing behind: a time limit (the program
// and everything it started are killed when it passes), a cap on the
// output kept (the rest is read and counted, never held), a working
// directory of its own that is removed afterwards. Credentials reach the
// program only through a Docker config file in that directory
// ($DOCKER_CONFIG), never on its command line, and every secret the
// scrubber knows (the registry client's, which must know those
// credentials: Run checks it) is scrubbed from the command line,
// environment and output recorded.
package program

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"oras.land/oras-go/v2/registry/remote/auth"

	"github.com/ocicaps/ocicaps/results"
)

// Defaults of a Driver's zero fields.
const (
	DefaultTimeout   = 2 * time.Minute
	DefaultMaxOutput = 1 << 20
)

// scrubWindow is how far past the output cap the output is kept, so that
// a secret straddling the cap is whole when it is scrubbed, and no prefix
// of it survives the cut.
const scrubWindow = 64 << 10

// Credential is what a program may present to one registry host.
type Credential struct {
	// Host is host[:port], as in a Docker config's "auths".
	Host string
	auth.Credential
}

// Driver runs programs with one set of bounds, credentials and secrets.
type Driver struct {
	// Timeout bounds one run; zero means DefaultTimeout.
	Timeout time.Duration
	// MaxOutput is the most bytes of output kept; zero means
	// DefaultMaxOutput.
	MaxOutput int64
	// Scrubber knows the secrets to keep out of what is recorded: the
	// registry client's with the Credentials' (client.Client.Scrubber
	// With client.CredentialScrubber). Run refuses to run when it does not
	// know a secret of the Credentials.
	Scrubber Scrubber
	// Credentials are written to the run's Docker config.
	Credentials []Credential
}

// Scrubber replaces the secrets it knows in text (client.Scrubber).
type Scrubber interface {
	Scrub(string) string
	ScrubBytes([]byte) []byte
}

// Result is what one run did, everything in it scrubbed.
type Result struct {
	Argv []string
	// Env is the environment the program got, as NAME=value.
	Env      []string
	ExitCode int // -1 when it did not exit by itself
	TimedOut bool
	// Output is the standard output and error as they came, at most
	// MaxOutput bytes; OutputBytes is how many the program wrote.
	Output      []byte
	OutputBytes int64
	Duration    time.Duration
}

// ErrTimedOut is returned when the program was stopped at the time limit.
var ErrTimedOut = errors.New("the program was stopped at its time limit")

// ErrSecretOnCommandLine is returned, before anything is run, when a
// secret the driver knows is on the command line: credentials go through
// the Docker config only (other users of the machine can read a command
// line).
var ErrSecretOnCommandLine = errors.New("a secret is on the command line: hand credentials over through the Docker config")

// Run runs argv[0] with the arguments argv[1:] and the environment env
// (NAME=value; PATH is taken from ocicaps' own unless given; HOME, TMPDIR
// and DOCKER_CONFIG point into the run's working directory), in a working
// directory of its own, and returns what it did. A program that exits
// non-zero is a result, not an error; the error says why there is no
// result (the program could not start), or that the time limit passed
// (ErrTimedOut, with the result so far).
func (d *Driver) Run(ctx context.Context, argv, env []string) (*Result, error) {
	if err := d.check(argv); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ocicaps-program-")
	if err != nil {
		return nil, fmt.Errorf("working directory for %s: %w", filepath.Base(argv[0]), err)
	}
	defer os.RemoveAll(dir)
	return d.RunIn(ctx, dir, argv, env)
}

// RunIn is Run in the folder dir, which the caller made and removes: the
// working directory, HOME, TMPDIR and DOCKER_CONFIG (dir/.docker) of
// several runs that share files, as the runs of one client workflow do
// (a key pair made by one, used by the next).
func (d *Driver) RunIn(ctx context.Context, dir string, argv, env []string) (*Result, error) {
	return d.RunInHome(ctx, dir, dir, argv, env)
}

// RunInHome is RunIn with HOME, TMPDIR and DOCKER_CONFIG (home/.docker)
// in home, a folder apart from the working directory dir: a command line
// that names files relative to dir cannot reach the Docker config.
func (d *Driver) RunInHome(ctx context.Context, dir, home string, argv, env []string) (*Result, error) {
	if err := d.check(argv); err != nil {
		return nil, err
	}
	runEnv, err := d.prepare(home, env)
	if err != nil {
		return nil, err
	}
	res, err := d.run(ctx, dir, argv, runEnv)
	res.scrub(d.Scrubber, argv, runEnv, d.maxOutput())
	return res, err
}

// check refuses a run before it starts: nothing to run, no scrubber, a
// scrubber blind to the credentials, a secret on the command line.
func (d *Driver) check(argv []string) error {
	if len(argv) == 0 {
		return errors.New("no program to run")
	}
	scrub := d.Scrubber
	if scrub == nil {
		return errors.New("program: no scrubber: give the Driver the client's (client.Client.Scrubber)")
	}
	if err := knowsSecrets(scrub, d.Credentials); err != nil {
		return err
	}
	for _, a := range argv {
		if scrub.Scrub(a) != a {
			return ErrSecretOnCommandLine
		}
	}
	return nil
}

func (d *Driver) maxOutput() int64 {
	if d.MaxOutput <= 0 {
		return DefaultMaxOutput
	}
	return d.MaxOutput
}

// prepare writes the Docker config into dir and returns the program's
// environment.
func (d *Driver) prepare(dir string, env []string) ([]string, error) {
	cfgDir := filepath.Join(dir, ".docker")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		return nil, fmt.Errorf("docker config folder: %w", err)
	}
	cfg, err := dockerConfig(d.Credentials)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.json"), cfg, 0o600); err != nil {
		return nil, fmt.Errorf("docker config: %w", err)
	}
	out := []string{"HOME=" + dir, "TMPDIR=" + dir, "DOCKER_CONFIG=" + cfgDir}
	if !hasVar(env, "PATH") {
		out = append(out, "PATH="+os.Getenv("PATH"))
	}
	return append(out, env...), nil
}

func hasVar(env []string, name string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, name+"=") {
			return true
		}
	}
	return false
}

// run starts the program and waits for it, up to the time limit.
func (d *Driver) run(ctx context.Context, dir string, argv, env []string) (*Result, error) {
	timeout := d.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, ErrTimedOut)
	defer cancel()
	out := &capped{limit: d.maxOutput() + scrubWindow}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, out, out
	killGroup(cmd)
	// A grandchild that keeps the output open must not hold the run past
	// its limit once the program itself is gone.
	cmd.WaitDelay = time.Second
	start := time.Now()
	err := cmd.Run()
	killLeftovers(cmd)
	res := &Result{Duration: time.Since(start), ExitCode: -1, Output: out.buf, OutputBytes: out.n}
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	var exit *exec.ExitError
	switch {
	case errors.Is(context.Cause(ctx), ErrTimedOut):
		res.TimedOut = true
		return res, fmt.Errorf("%s: %w (%s)", filepath.Base(argv[0]), ErrTimedOut, timeout)
	case ctx.Err() != nil:
		return res, fmt.Errorf("%s: %w", filepath.Base(argv[0]), context.Cause(ctx))
	case err == nil, errors.As(err, &exit), errors.Is(err, exec.ErrWaitDelay):
		return res, nil
	}
	return res, fmt.Errorf("running %s: %w", filepath.Base(argv[0]), err)
}

// scrub removes the secrets from what is recorded, then cuts the output
// to its cap.
func (r *Result) scrub(sc Scrubber, argv, env []string, maxOut int64) {
	r.Argv = make([]string, len(argv))
	for i, a := range argv {
		r.Argv[i] = scrubAuth(sc.Scrub(a))
	}
	r.Env = make([]string, len(env))
	for i, kv := range env {
		r.Env[i] = scrubAuth(sc.Scrub(kv))
	}
	r.Output = scrubAuthBytes(sc.ScrubBytes(r.Output))
	if int64(len(r.Output)) > maxOut {
		r.Output = r.Output[:maxOut]
	}
}

// Record is the run as the results model keeps it.
func (r *Result) Record() results.Command {
	return results.Command{
		Argv: r.Argv, ExitCode: r.ExitCode, TimedOut: r.TimedOut,
		Output: strings.ToValidUTF8(string(r.Output), "\uFFFD"), OutputBytes: r.OutputBytes,
		DurationMS: r.Duration.Milliseconds(),
	}
}

// Exchange is the run as a transcript entry; err is Run's.
func (r *Result) Exchange(err error) results.Exchange {
	c := r.Record()
	ex := results.Exchange{Attempts: 1, DurationMS: c.DurationMS, Command: &c}
	if err != nil {
		ex.Error = err.Error()
	}
	return ex
}

// capped keeps the first limit bytes written and counts them all.
type capped struct {
	limit int64
	buf   []byte
	n     int64
}

func (c *capped) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	if room := c.limit - int64(len(c.buf)); room > 0 {
		c.buf = append(c.buf, p[:min(int64(len(p)), room)]...)
	}
	return len(p), nil
}
