//go:build !linux

package runner

import "os/exec"

// contain runs cmd in a process group of its own: this system gets no PID namespace
// and no caps on memory or processes.
func contain(cmd *exec.Cmd) []string {
	return []string{"a process group of its own (no PID namespace, no memory or process caps on this system)"}
}

// containSession is contain.
func containSession(cmd *exec.Cmd) []string { return contain(cmd) }

// watchCaps does nothing on this system.
func watchCaps(cmd *exec.Cmd, maxMemory int64, maxProcs int, contained *[]string) (stop func() string) {
	return func() string { return "" }
}
