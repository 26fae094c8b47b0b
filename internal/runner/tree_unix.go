//go:build unix

package runner

import (
	"os/exec"
	"syscall"
)

// treeSys makes a tree a process group: the command leads a group of its own (or, when
// contain asks, a session), and every process it starts belongs to it unless it leaves.
type treeSys struct{}

func (treeSys) prepare(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func (treeSys) started(cmd *exec.Cmd) error { return nil }

// kill sends SIGKILL to the group, whose id is the leader's pid.
func (treeSys) kill(cmd *exec.Cmd) { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }

func (treeSys) close() {}
