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
