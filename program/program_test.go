package program

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"oras.land/oras-go/v2/registry/remote/auth"

	"github.com/ocicaps/ocicaps/client"
)

// fake is the test program built from testdata/fake.
var fake string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "program-test-")
	if err != nil {
		panic(err)
	}
	fake = filepath.Join(dir, "fake")
	if out, err := exec.Command("go", "build", "-o", fake, "./testdata/fake").CombinedOutput(); err != nil {
		panic("building the fake program: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const password = "s3cret-pass-123"

func alice() []Credential {
	return []Credential{{Host: "127.0.0.1:5000", Credential: auth.Credential{Username: "alice", Password: password}}}
}

// driver is a Driver whose scrubber knows the credentials, as the
// runner's is the registry client's scrubber with them.
func driver(creds []Credential) *Driver {
	cs := make([]auth.Credential, len(creds))
	for i, c := range creds {
		cs[i] = c.Credential
	}
	return &Driver{Credentials: creds, Scrubber: client.CredentialScrubber(cs...)}
}

func run(t *testing.T, d *Driver, args ...string) (*Result, error) {
	t.Helper()
	return d.Run(context.Background(), append([]string{fake}, args...), nil)
}

// The credentials reach the program through its Docker config, which it
// reads back; whatever it echoes of them (the config's base64 auth, the
// password itself) is scrubbed from the output kept.
func TestSecretEchoedBackIsScrubbed(t *testing.T) {
	d := driver(alice())
	res, err := run(t, d, "config", "password")
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("exit %d, %v: %s", res.ExitCode, err, res.Output)
	}
	out := string(res.Output)
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + password))
	if strings.Contains(out, password) || strings.Contains(out, basic) {
		t.Errorf("a secret is in the output:\n%s", out)
	}
	// The program did get them: the config names the host, and both the
	// auth and the decoded password were replaced where they stood.
	if !strings.Contains(out, `"127.0.0.1:5000"`) || strings.Count(out, client.Redacted) < 2 {
		t.Errorf("the program did not read its credentials back:\n%s", out)
	}
}

// The registry client's secrets (a token it was issued, say) are scrubbed
// too, from the environment recorded as from the output.
func TestClientSecretsScrubbedFromEnvAndOutput(t *testing.T) {
	token := "tok-0123456789-abcdef"
	d := &Driver{Scrubber: client.CredentialScrubber(auth.Credential{AccessToken: token})}
	res, err := d.Run(context.Background(), []string{fake, "env:REGISTRY_TOKEN"}, []string{"REGISTRY_TOKEN=" + token})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.Output), token) || !strings.Contains(string(res.Output), "REGISTRY_TOKEN="+client.Redacted) {
		t.Errorf("output: %s", res.Output)
	}
	for _, kv := range res.Env {
		if strings.Contains(kv, token) {
			t.Errorf("recorded environment holds the token: %s", kv)
		}
	}
}

// A secret on the command line is refused before anything runs.
func TestSecretOnCommandLineRefused(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	d := driver(alice())
	_, err := d.Run(context.Background(), []string{"/bin/sh", "-c", "touch " + marker, "--password=" + password}, nil)
	if !errors.Is(err, ErrSecretOnCommandLine) {
		t.Fatalf("err = %v, want ErrSecretOnCommandLine", err)
	}
	if _, serr := os.Stat(marker); serr == nil {
		t.Error("the program ran")
	}
}

// A program writing far more than the cap: the output kept is the cap,
// the count is what it wrote, and the run ends normally.
func TestHugeOutputIsCapped(t *testing.T) {
	d := driver(nil)
	d.MaxOutput = 1000
	res, err := run(t, d, "flood:50000000")
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("exit %d, %v", res.ExitCode, err)
	}
	if len(res.Output) != 1000 || res.OutputBytes != 50000000 {
		t.Errorf("kept %d bytes of %d, want 1000 of 50000000", len(res.Output), res.OutputBytes)
	}
}

// A secret that straddles the cap leaves no prefix of itself behind.
func TestSecretAtTheCapIsScrubbed(t *testing.T) {
	d := driver(alice())
	d.MaxOutput = 1000
	res, err := run(t, d, "print:"+strings.Repeat("y", 995), "password")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.Output), password[:5]) {
		t.Errorf("a prefix of the password survived the cut: %q", res.Output[990:])
	}
}

// A program that hangs (and leaves a child holding its output) is stopped
// at the time limit: the result says so and the error is ErrTimedOut.
func TestHangStoppedAtTimeLimit(t *testing.T) {
	d := driver(nil)
	d.Timeout = 300 * time.Millisecond
	res, err := run(t, d, "hang")
	if !errors.Is(err, ErrTimedOut) {
		t.Fatalf("err = %v, want ErrTimedOut", err)
	}
	if !res.TimedOut || res.ExitCode != -1 {
		t.Errorf("timedOut %v exit %d", res.TimedOut, res.ExitCode)
	}
	rec := res.Record()
	if rec.Ending() != "stopped at the time limit" {
		t.Errorf("ending %q", rec.Ending())
	}
}

// The program runs in a directory of its own, which holds its Docker
// config and HOME and is gone afterwards; an exit status is a result.
func TestWorkingDirectoryRemovedAndExitKept(t *testing.T) {
	d := driver(alice())
	res, err := run(t, d, "cwd", "env:DOCKER_CONFIG", "env:HOME", "exit:3")
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 3 {
		t.Errorf("exit %d, want 3", res.ExitCode)
	}
	lines := strings.Split(strings.TrimSpace(string(res.Output)), "\n")
	if len(lines) != 3 {
		t.Fatalf("output %q", res.Output)
	}
	dir := lines[0]
	if lines[1] != "DOCKER_CONFIG="+filepath.Join(dir, ".docker") || lines[2] != "HOME="+dir {
		t.Errorf("environment %q", lines[1:])
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("working directory %s still there (%v)", dir, err)
	}
	ex := res.Exchange(nil)
	if ex.Command == nil || ex.Command.ExitCode != 3 || ex.Command.Argv[0] != fake || ex.Method != "" {
		t.Errorf("exchange %+v", ex)
	}
}

// A program that is not there is an error, not a result.
func TestMissingProgram(t *testing.T) {
	d := driver(nil)
	if _, err := d.Run(context.Background(), []string{filepath.Join(t.TempDir(), "nope")}, nil); err == nil {
		t.Error("no error for a missing program")
	}
}

// A helper the program started and left running is killed once the
// program exits: the run leaves no process behind. (The helper is
// reparented and reaped by another process, so the test waits, boundedly,
// for it to be gone rather than for any duration.)
func TestNoProcessLeftBehind(t *testing.T) {
	res, err := run(t, driver(nil), "spawn")
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("exit %d, %v", res.ExitCode, err)
	}
	pid := strings.TrimSpace(string(res.Output))
	for range 200 {
		stat, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil || strings.Contains(string(stat), ") Z ") {
			return // gone, or dead and waiting to be reaped
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("the helper %s the program started is still running", pid)
}

// A scrubber that does not know the credentials (the client's alone) is
// refused before anything runs: the program could echo them.
func TestScrubberMustKnowTheCredentials(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	d := driver(nil)
	d.Credentials = alice()
	_, err := d.Run(context.Background(), []string{"/bin/sh", "-c", "touch " + marker}, nil)
	if !errors.Is(err, ErrScrubberBlind) {
		t.Fatalf("err = %v, want ErrScrubberBlind", err)
	}
	if _, serr := os.Stat(marker); serr == nil {
		t.Error("the program ran")
	}
	if _, err := (&Driver{}).Run(context.Background(), []string{"true"}, nil); err == nil {
		t.Error("a driver without a scrubber ran")
	}
}
