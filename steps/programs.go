package steps

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/cucumber/godog"

	"github.com/ocicaps/ocicaps/internal/argv"
	"github.com/ocicaps/ocicaps/program"
	"github.com/ocicaps/ocicaps/results"
	"github.com/ocicaps/ocicaps/suite"
)

// Programs is how a registry's client workflows run client programs
// (ocicaps run --clients): the driver with the run's credentials and
// bounds, where each client is, the environment every run gets, and the
// built-in variables of client scenarios. Nil on a Target: no step may
// run a program.
type Programs struct {
	Driver *program.Driver
	// Paths maps a client id to its program (registries.yaml clients:);
	// a client not in it is looked up on PATH.
	Paths map[string]string
	// Env is added to every run: the proxy variables (HTTP_PROXY … to
	// the sink, NO_PROXY for the registry), SSL_CERT_FILE.
	Env []string
	// Vars are the built-in variables of client scenarios: host,
	// plainHTTP, tlsVerify, caFile ({files} is each scenario's own).
	Vars map[string]string
	// LookPath finds a program on PATH; nil means exec.LookPath.
	LookPath func(string) (string, error)
}

// Resolve finds the program of a client: its configured path, else on
// PATH. The error says, for a user, that the client is not installed.
func (p *Programs) Resolve(name string) (string, error) {
	look := p.LookPath
	if look == nil {
		look = exec.LookPath
	}
	if path, ok := p.Paths[name]; ok {
		if !strings.ContainsRune(path, filepath.Separator) {
			// A bare name (clients: {helm: helm}) is looked up on PATH,
			// never read from the working directory.
			found, err := look(path)
			if err != nil {
				return "", &NotInstalledError{fmt.Sprintf("%s is not installed: the clients: entry in registries.yaml names %s, which is not on PATH", name, path)}
			}
			return found, nil
		}
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			return "", &NotInstalledError{fmt.Sprintf("%s is not installed: the clients: entry in registries.yaml names %s, which is not a program", name, path)}
		}
		return path, nil
	}
	path, err := look(name)
	if err != nil || strings.ContainsRune(name, filepath.Separator) {
		return "", &NotInstalledError{fmt.Sprintf("%s is not installed: not on PATH and no clients: entry in registries.yaml", name)}
	}
	return path, nil
}

// NotInstalledError is why a client workflow could not run its client:
// the workflow stays a prediction.
type NotInstalledError struct{ msg string }

func (e *NotInstalledError) Error() string { return e.msg }

// Unwrap makes godog stop the scenario, as for an outcome decided.
func (e *NotInstalledError) Unwrap() error { return godog.ErrSkip }

// programState is what a client scenario's program steps keep: its
// folder (files/ is {files}, every run's working directory; home/ beside
// it is HOME, TMPDIR and the Docker config, out of reach of a relative
// path a workflow writes), the environment variables set for its later
// runs, and the client its file is for (its @client: tag).
type programState struct {
	dir    string
	env    []string
	client string
}

// openFiles makes the scenario's folder when the target runs programs,
// on first use ({files}, I write the file, I run): a state made for
// anything else (Target.Finish's clean-ups) leaves no folder behind.
func (st *state) openFiles() error {
	if st.target.Programs == nil || st.dir != "" {
		return nil
	}
	dir, err := os.MkdirTemp("", "ocicaps-client-")
	if err != nil {
		return fmt.Errorf("the scenario's folder: %w", err)
	}
	for _, sub := range []string{"files", "home"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o700); err != nil {
			os.RemoveAll(dir)
			return fmt.Errorf("the scenario's folder: %w", err)
		}
	}
	st.dir = dir
	st.vars["files"] = st.filesDir()
	return nil
}

func (st *state) filesDir() string { return filepath.Join(st.dir, "files") }
func (st *state) homeDir() string  { return filepath.Join(st.dir, "home") }

// fillWords splits a command line into words, then fills the
// placeholders of each: a value with blanks stays one argument, an
// unquoted word that fills to nothing vanishes.
func (st *state) fillWords(line string) ([]string, error) {
	ws, err := argv.Words(line)
	if err != nil {
		return nil, fmt.Errorf("the command line %q: %w", line, err)
	}
	var words []string
	for _, w := range ws {
		v, err := st.expand(w.Text)
		if err != nil {
			return nil, err
		}
		if v != "" || w.Quoted {
			words = append(words, v)
		}
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("the command line %q is empty once its placeholders are filled", line)
	}
	return words, nil
}

// closeFiles removes the scenario's folder.
func (st *state) closeFiles() {
	if st.dir != "" {
		os.RemoveAll(st.dir)
		st.dir = ""
	}
}

// programs is the target's, or an error that says how to get one.
func (st *state) programs() (*Programs, error) {
	if st.target.Programs == nil || st.target.Programs.Driver == nil {
		return nil, errors.New("this run does not run client programs: client workflows run with `ocicaps run --clients --verify`")
	}
	return st.target.Programs, nil
}

func (st *state) runProgram(ctx context.Context, line string) error {
	p, err := st.programs()
	if err != nil {
		return err
	}
	if err := st.openFiles(); err != nil {
		return err
	}
	words, err := st.fillWords(line)
	if err != nil {
		return err
	}
	if st.client != "" && words[0] != st.client {
		return fmt.Errorf("the command line %q runs %q once its placeholders are filled, not the workflow's client %q: a client's workflow runs only that client", line, words[0], st.client)
	}
	path, err := p.Resolve(words[0])
	if err != nil {
		var ni *NotInstalledError
		if errors.As(err, &ni) && st.notInstalled == "" {
			st.notInstalled = ni.msg
		}
		return err
	}
	words[0] = path
	env := append(append([]string(nil), p.Env...), st.env...)
	res, err := p.Driver.RunInHome(ctx, st.filesDir(), st.homeDir(), words, env)
	if res == nil {
		// Refused before it started (a secret on its command line): the
		// command line is not recorded.
		st.ran(results.Exchange{Attempts: 1, Error: err.Error(), Command: &results.Command{Argv: []string{filepath.Base(words[0])}, ExitCode: -1}}, nil)
		return err
	}
	// A client may have deleted what this run wrote (crane delete, regctl
	// tag delete): a 404 after it is an answer, not a read that lags a
	// write (consistency.go), so the reads after it are judged at once
	// instead of waiting consistency.wait for each.
	st.target.writes.forgetAll()
	// The record names the client as written, not where it was found.
	res.Argv[0] = filepath.Base(res.Argv[0])
	st.ran(res.Exchange(err), res)
	return err
}

func (st *state) writeFile(_ context.Context, rel, doc string) error {
	if st.target.Programs == nil {
		_, err := st.programs()
		return err
	}
	if err := st.openFiles(); err != nil {
		return err
	}
	name, err := st.expand(rel)
	if err != nil {
		return err
	}
	clean := filepath.Clean(filepath.FromSlash(name))
	if name == "" || filepath.IsAbs(clean) || clean == "." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) || clean == ".." {
		return fmt.Errorf("the file %q must be a path inside the scenario's folder {files}, such as \"sig.txt\" or \"chart/Chart.yaml\"", name)
	}
	body, err := st.expand(doc)
	if err != nil {
		return err
	}
	target := filepath.Join(st.filesDir(), clean)
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := os.WriteFile(target, []byte(body), 0o600); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (st *state) programEnv(_ context.Context, name, value string) error {
	if !envNameRE.MatchString(name) {
		return fmt.Errorf("%q is no environment variable name (letters, digits and _, not starting with a digit)", name)
	}
	if suite.ReservedEnv(name) {
		return fmt.Errorf("%s is set by ocicaps for every client run (its proxy, home, Docker config, CA bundle and PATH keep the run safe): a workflow cannot change it", name)
	}
	v, err := st.expand(value)
	if err != nil {
		return err
	}
	st.env = append(st.env, name+"="+v)
	return nil
}

func (st *state) saveOutputMatching(_ context.Context, expr, name string) error {
	if st.run == nil {
		return errors.New("no program has run yet: run one first (I run \"…\")")
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return fmt.Errorf("bad regular expression %q: %w", expr, err)
	}
	m := re.FindSubmatch(st.run.Output)
	if m == nil {
		return fmt.Errorf("the output of %s does not match %q (%s)", st.requestName(), expr, outputGist(st.run.Output))
	}
	v := m[0]
	if len(m) > 1 {
		v = m[1]
	}
	st.vars[name] = string(v)
	return nil
}

// outputGist is the end of a program's output on one line, for a reason:
// where clients say what went wrong.
func outputGist(out []byte) string {
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(out), "\uFFFD")), " ")
	if s == "" {
		return "no output"
	}
	if r := []rune(s); len(r) > 300 {
		s = "…" + string(r[len(r)-300:])
	}
	return s
}

// forgetAll forgets every write: what a client program did is unknown.
func (w *writeLog) forgetAll() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.written = nil
}
