//go:build !unix && !windows

package runner

import "os/exec"

// treeSys on a system with neither process groups nor Job Objects kills the command
// alone: processes it started may outlive it.
type treeSys struct{}

func (treeSys) prepare(cmd *exec.Cmd)       {}
func (treeSys) started(cmd *exec.Cmd) error { return nil }
func (treeSys) kill(cmd *exec.Cmd)          { _ = cmd.Process.Kill() }
func (treeSys) close()                      {}
