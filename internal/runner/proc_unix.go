//go:build unix

package runner

import (
	"os/exec"
	"syscall"
)

// ownGroup starts cmd in a process group of its own, and makes the end of its context
// kill the whole group: the test binary and every process it started.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}

// killGroup kills what is left of cmd's process group once cmd has exited: children that
// outlived the binary.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
