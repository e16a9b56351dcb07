//go:build !unix

package program

import "os/exec"

// killGroup: without process groups, the time limit kills the program
// itself (exec's default), and WaitDelay bounds the wait for its helpers.
func killGroup(*exec.Cmd) {}

// killLeftovers: without process groups, what the program started is not
// known.
func killLeftovers(*exec.Cmd) {}
