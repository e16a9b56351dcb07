//go:build linux

package zoo

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary act as a "test process that gets killed"
// (see TestHelperStartsRegistry).
const (
	helperEnv     = "OCICAPS_ZOO_TEST_HELPER_BIN"
	helperWorkEnv = "OCICAPS_ZOO_TEST_HELPER_WORK" // the parent's temp dir: a killed helper cleans up nothing
)

// TestHelperStartsRegistry is not a test on its own: run by
// TestKilledParentTakesRegistryDown in a child process, it starts a registry,
// reports its pid and address, and blocks until killed.
func TestHelperStartsRegistry(t *testing.T) {
	binDir := os.Getenv(helperEnv)
	if binDir == "" {
		t.Skip("helper process only")
	}
	inst, err := Start(context.Background(), binDir, os.Getenv(helperWorkEnv), Spec{Name: "orphan", Kind: KindCrane})
	if err != nil {
		fmt.Printf("ERROR %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("STARTED %d %s\n", inst.Pid(), inst.Host)
	select {} // wait for SIGKILL; deliberately no Stop
}

// TestKilledParentTakesRegistryDown checks the parent-death signal: when the
// process that started a registry is SIGKILLed (no cleanup runs), the
// registry dies too instead of lingering on its port.
func TestKilledParentTakesRegistryDown(t *testing.T) {
	binDir := bins(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStartsRegistry$", "-test.v=false")
	cmd.Env = append(os.Environ(), helperEnv+"="+binDir, helperWorkEnv+"="+t.TempDir())
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if l := sc.Text(); strings.HasPrefix(l, "STARTED ") || strings.HasPrefix(l, "ERROR ") {
				lines <- l
				return
			}
		}
		close(lines)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(time.Minute):
		t.Fatal("helper did not start a registry within a minute")
	}
	var pid int
	var host string
	if _, err := fmt.Sscanf(line, "STARTED %d %s", &pid, &host); err != nil {
		t.Fatalf("helper said %q", line)
	}
	// Should the test fail, do not leave the registry behind either.
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	if c, err := net.DialTimeout("tcp", host, time.Second); err != nil {
		t.Fatalf("registry at %s not reachable before the kill: %v", host, err)
	} else {
		c.Close()
	}

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", host, 200*time.Millisecond)
		if err != nil && !processRunning(pid) {
			return
		}
		if err == nil {
			c.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("registry pid %d at %s still running 10s after its parent was killed", pid, host)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// processRunning reports whether pid exists and is not a zombie. An orphan
// is reaped by whatever adopted it; in a container without a reaping init it
// may stay a zombie, which is dead enough.
func processRunning(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	// Format: "pid (comm) S ...": the state follows the last ')'.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 || i+2 >= len(s) {
		return true
	}
	return s[i+2] != 'Z'
}
