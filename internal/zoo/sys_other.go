//go:build !linux

package zoo

import (
	"context"
	"os/exec"
)

// setProcAttr does nothing off Linux: there is no parent-death signal, so
// callers must Stop every instance (t.Cleanup / defer) to avoid leftovers.
func setProcAttr(*exec.Cmd) {}

// killProcess kills the registry process; the registries are single
// processes, so no group kill is needed.
func killProcess(cmd *exec.Cmd) error {
	return cmd.Process.Kill()
}

// lockFile does not lock off Linux. EnsureBinariesIn stays safe without it
// (each builder renames complete binaries into place); concurrent cold
// builds merely duplicate work.
func lockFile(context.Context, string) (func(), error) {
	return func() {}, nil
}
