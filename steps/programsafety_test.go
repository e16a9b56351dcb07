package steps

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/client"
	"github.com/ocicaps/ocicaps/config"
	"github.com/ocicaps/ocicaps/program"
)

// Variables that would undo the run's safety cannot be set by a
// workflow, whatever their case.
func TestReservedProgramEnvironment(t *testing.T) {
	st := clientState(t)
	for _, name := range []string{"HTTP_PROXY", "https_proxy", "No_Proxy", "ALL_PROXY", "FTP_PROXY", "HOME", "DOCKER_CONFIG", "tmpdir", "SSL_CERT_FILE", "SSL_CERT_DIR", "PATH"} {
		if err := st.programEnv(context.Background(), name, "x"); err == nil {
			t.Errorf("%s was set", name)
		}
	}
	if len(st.env) != 0 {
		t.Errorf("set: %v", st.env)
	}
	if err := st.programEnv(context.Background(), "COSIGN_PASSWORD", "x"); err != nil || len(st.env) != 1 {
		t.Errorf("COSIGN_PASSWORD: %v %v", err, st.env)
	}
}

// echoState is a client state whose client "echo" is the system's echo,
// run for the scenario of a file tagged @client:echo.
func echoState(t *testing.T) *state {
	t.Helper()
	echo, err := exec.LookPath("echo")
	if err != nil {
		t.Skip("no echo program")
	}
	st := clientState(t)
	st.client = "echo"
	st.target.Programs.Driver = &program.Driver{Scrubber: client.CredentialScrubber()}
	st.target.Programs.Paths = map[string]string{"echo": echo}
	return st
}

// The program run is the workflow's client, also when the first word
// comes from a placeholder.
func TestRunOnlyTheWorkflowsClient(t *testing.T) {
	st := echoState(t)
	st.vars["prog"] = "sh"
	err := st.runProgram(context.Background(), "{prog} -c 'echo hi'")
	if err == nil || !strings.Contains(err.Error(), `not the workflow's client "echo"`) {
		t.Fatalf("err = %v", err)
	}
	if st.run != nil {
		t.Error("a program ran")
	}
	st.vars["prog"] = "echo"
	if err := st.runProgram(context.Background(), "{prog} ok"); err != nil {
		t.Fatal(err)
	}
}

// Placeholders are filled after the split: a value with blanks is one
// argument, an unquoted word filled to nothing vanishes, a quoted one
// stays.
func TestPlaceholdersFilledAfterTheSplit(t *testing.T) {
	st := echoState(t)
	st.vars["v"] = "a  b"
	st.vars["none"] = ""
	if err := st.runProgram(context.Background(), `echo {v} {none} "{none}" x`); err != nil {
		t.Fatal(err)
	}
	got := st.run.Argv[1:]
	want := []string{"a  b", "", "x"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("argv %q, want %q", got, want)
	}
}

// Programs run in {files}; their home and Docker config are beside it,
// where a relative path cannot reach.
func TestDockerConfigNotInFiles(t *testing.T) {
	st := echoState(t)
	if err := st.runProgram(context.Background(), "echo"); err != nil {
		t.Fatal(err)
	}
	files, _ := st.expand("{files}")
	if _, err := os.Stat(filepath.Join(files, ".docker")); !os.IsNotExist(err) {
		t.Errorf("the Docker config is in {files}: %v", err)
	}
	if _, err := os.Stat(filepath.Join(st.dir, "home", ".docker", "config.json")); err != nil {
		t.Errorf("no Docker config beside {files}: %v", err)
	}
}

// Finish's clean-ups make a state of their own: it must leave no
// scenario folder behind.
func TestFinishLeavesNoFolder(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	c, err := client.New("http://127.0.0.1:1", client.Options{}) // nothing listens: the clean-up is a leftover
	if err != nil {
		t.Fatal(err)
	}
	target := &Target{Registry: config.Registry{}, Client: c, Programs: &Programs{}}
	target.shared.last = []cleanup{{what: "blob", method: "DELETE", target: "/v2/x/blobs/sha256:0"}}
	if left := target.Finish(context.Background()); len(left) != 1 {
		t.Fatalf("leftovers %+v: the clean-up did not run", left)
	}
	if ents, _ := os.ReadDir(tmp); len(ents) != 0 {
		t.Errorf("left in TMPDIR: %v", ents)
	}
}

// A bare name in clients: is looked up on PATH, not in the working
// directory.
func TestResolveBareConfiguredName(t *testing.T) {
	t.Chdir(t.TempDir())
	os.WriteFile("helm", []byte("#!/bin/sh\n"), 0o755) // a file of that name here must not be taken
	p := &Programs{Paths: map[string]string{"helm": "helm"}, LookPath: func(n string) (string, error) {
		if n == "helm" {
			return "/usr/local/bin/helm", nil
		}
		return "", os.ErrNotExist
	}}
	if got, err := p.Resolve("helm"); err != nil || got != "/usr/local/bin/helm" {
		t.Errorf("helm = %q, %v", got, err)
	}
}
