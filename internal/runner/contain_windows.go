//go:build windows

package runner

import (
	"fmt"
	"os/exec"
)

// contain gives the tree's Job Object caps on memory and processes: past the memory cap
// an allocation fails (a Go program crashes with "out of memory"), past the process cap
// a new process cannot start. Windows has no PID namespace: the test process can see
// and signal the processes of the grader's user.
func contain(t *tree, c caps) []string {
	t.sys.limits = c
	return []string{"a Job Object of its own: the run kills the test binary and every process it started",
		fmt.Sprintf("memory capped at %d MiB (allocations past it fail)", c.memory>>20),
		fmt.Sprintf("at most %d processes", c.procs),
		"no PID namespace on Windows"}
}

// containSession is contain.
func containSession(t *tree, c caps) []string { return contain(t, c) }

// watchCaps does nothing: the job enforces the caps.
func watchCaps(cmd *exec.Cmd, c caps, contained *[]string) (stop func() string) {
	return func() string { return "" }
}
