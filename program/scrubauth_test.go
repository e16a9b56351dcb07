package program

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ocicaps/ocicaps/client"
)

// A token the client got from a token service is unknown to the
// scrubber: what follows an Authorization header or a Bearer scheme in
// the output, argv or environment recorded is scrubbed all the same.
func TestTokensTheClientGotAreScrubbed(t *testing.T) {
	tok := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl"
	d := &Driver{Scrubber: client.CredentialScrubber()}
	out := "print:> GET /v2/\n> Authorization: Bearer " + tok + "\n> authorization: Basic YWxpY2U6cHc=\nusing bearer " + tok + "\nWWW-Authenticate: Bearer realm=\"http://127.0.0.1/token\"\n"
	res, err := d.Run(context.Background(), []string{fake, out, "env:X"}, []string{"X=Bearer " + tok})
	if err != nil {
		t.Fatal(err)
	}
	rec := string(res.Output) + strings.Join(res.Argv, " ") + strings.Join(res.Env, " ")
	for _, secret := range []string{tok, "YWxpY2U6cHc="} {
		if strings.Contains(rec, secret) {
			t.Errorf("%s is in the record:\n%s", secret, rec)
		}
	}
	if !strings.Contains(string(res.Output), `Bearer realm="http://127.0.0.1/token"`) {
		t.Errorf("a challenge was scrubbed as if it were a token:\n%s", res.Output)
	}
}

// The Docker config lives beside the working directory, not in it: a
// relative path on a workflow's command line cannot name it.
func TestDockerConfigOutsideTheWorkingDirectory(t *testing.T) {
	root := t.TempDir()
	work, home := filepath.Join(root, "files"), filepath.Join(root, "home")
	for _, d := range []string{work, home} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	res, err := driver(alice()).RunInHome(context.Background(), work, home, []string{fake, "cwd", "env:DOCKER_CONFIG", "config"}, nil)
	if err != nil || res.ExitCode != 0 {
		t.Fatalf("exit %v %v: %s", res, err, res.Output)
	}
	if _, err := os.Stat(filepath.Join(work, ".docker")); !os.IsNotExist(err) {
		t.Errorf("the Docker config is in the working directory: %v", err)
	}
	if !strings.Contains(string(res.Output), "DOCKER_CONFIG="+filepath.Join(home, ".docker")) || !strings.Contains(string(res.Output), work+"\n") {
		t.Errorf("output: %s", res.Output)
	}
}
