package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// cpuUse is the CPU time a tool's run cost: the tool's own process and the
// registry it talked to. On loopback both share this machine's cores, so
// their sum over the cores is a floor for the tool's wall time that no
// concurrency can beat (docs/spec-coverage.md, "Where the time goes").
type cpuUse struct {
	Tool, Registry time.Duration
	Known          bool // the registry's CPU could be read (/proc on Linux)
}

// Floor is the least wall time the run's CPU allows on cores cores.
func (c cpuUse) Floor(cores int) time.Duration {
	return (c.Tool + c.Registry) / time.Duration(max(1, cores))
}

// toolCPU is the user and system time of a finished command.
func toolCPU(cmd *exec.Cmd) time.Duration {
	if cmd.ProcessState == nil {
		return 0
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// userHZ is the unit of /proc/<pid>/stat's times: USER_HZ, 100 on every
// Linux architecture Go runs on.
const userHZ = 100

// processCPU reads the user and system time a running process has used,
// from /proc/<pid>/stat; false where there is no /proc.
func processCPU(pid int) (time.Duration, bool) {
	if pid <= 0 {
		return 0, false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name (field 2) is in parentheses and may hold spaces:
	// count the fields after its closing one.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 { // utime and stime are fields 14 and 15, 12 and 13 here
		return 0, false
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(ut+st) * time.Second / userHZ, true
}

// measureCPU runs cmd (already set up) and returns its output and error,
// with the CPU the command and the registry process pid used meanwhile.
func measureCPU(cmd *exec.Cmd, pid int) ([]byte, error, cpuUse) {
	before, ok1 := processCPU(pid)
	out, err := cmd.CombinedOutput()
	after, ok2 := processCPU(pid)
	use := cpuUse{Tool: toolCPU(cmd), Known: ok1 && ok2}
	if use.Known {
		use.Registry = after - before
	}
	return out, err, use
}
