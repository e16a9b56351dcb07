package nogoenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelperChild is the re-executed test binary: it prints PATH as main
// would see it.
func TestHelperChild(t *testing.T) {
	if os.Getenv("NOGOENV_CHILD") != "1" {
		return // only the child of TestNoGoAtStartAndPathKept prints
	}
	fmt.Printf("PATH=%s\n", os.Getenv("PATH"))
}

// A process that imports godog (this test binary does) starts no `go`
// command before main, and finds PATH as it was given.
func TestNoGoAtStartAndPathKept(t *testing.T) {
	dir := t.TempDir()
	marker := filepath.Join(dir, "go-was-run")
	fake := "#!/bin/sh\necho \"$@\" > " + marker + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	path := dir + string(os.PathListSeparator) + "/usr/bin:/bin"
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperChild$", "-test.v")
	cmd.Env = append(os.Environ(), "NOGOENV_CHILD=1", "PATH="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if _, err := os.Stat(marker); err == nil {
		args, _ := os.ReadFile(marker)
		t.Errorf("`go %s` was started before main", strings.TrimSpace(string(args)))
	}
	if !strings.Contains(string(out), "PATH="+path+"\n") {
		t.Errorf("the child did not see PATH=%s:\n%s", path, out)
	}
}
