//go:build unix

package program

import (
	"os/exec"
	"syscall"
)

// killGroup makes the program the leader of a process group of its own
// and has the time limit kill the whole group: a client that started
// helpers (a credential helper, a shell's children) leaves none running.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}

// killLeftovers kills what the program started and left running when it
// exited (its group outlives it while they live), right after it was
// waited for: a run leaves no process behind.
func killLeftovers(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
