package main

import (
	"os"
	"os/exec"
	"runtime"
	"testing"
)

// processCPU reads this very process's CPU time, which only grows.
func TestProcessCPU(t *testing.T) {
	if runtime.GOOS != "linux" {
		if _, ok := processCPU(os.Getpid()); ok {
			t.Fatal("read /proc where there is none")
		}
		return
	}
	a, ok := processCPU(os.Getpid())
	if !ok {
		t.Fatal("cannot read this process's /proc/self/stat")
	}
	x := 0
	for i := 0; i < 300_000_000; i++ { // about a tenth of a second
		x += i ^ x
	}
	b, _ := processCPU(os.Getpid())
	if b <= a || x == 1 {
		t.Errorf("CPU time %s then %s: no progress", a, b)
	}
	if _, ok := processCPU(0); ok {
		t.Error("pid 0 read")
	}
}

func TestMeasureCPUOfACommand(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	cmd := exec.Command(sh, "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo done")
	out, err, use := measureCPU(cmd, os.Getpid())
	if err != nil || string(out) != "done\n" {
		t.Fatalf("%v %q", err, out)
	}
	if use.Tool <= 0 {
		t.Errorf("the command used no CPU: %+v", use)
	}
	if runtime.GOOS == "linux" && !use.Known {
		t.Errorf("the registry's CPU is unknown on Linux: %+v", use)
	}
}
