//go:build !unix

package runner

import "os/exec"

// ownGroup leaves cmd as it is: without process groups, only the process itself is
// killed when its context ends.
func ownGroup(cmd *exec.Cmd) {}

// killGroup does nothing without process groups.
func killGroup(cmd *exec.Cmd) {}
