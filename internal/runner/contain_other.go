//go:build !linux && !windows

package runner

import "os/exec"

// contain runs the tree in a process group of its own: this system gets no PID
// namespace and no caps on memory or processes.
func contain(t *tree, c caps) []string {
	return []string{"a process group of its own: the run kills the test binary and every process it started " +
		"(no PID namespace, no memory or process caps on this system)"}
}

// containSession is contain.
func containSession(t *tree, c caps) []string { return contain(t, c) }

// watchCaps does nothing on this system.
func watchCaps(cmd *exec.Cmd, c caps, contained *[]string) (stop func() string) {
	return func() string { return "" }
}
