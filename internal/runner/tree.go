package runner

import (
	"errors"
	"fmt"
	"os/exec"
)

// A tree is one command and every process it starts, killed as one: a process group
// (or session) on Unix, a Job Object on Windows. Start the command with start, never
// with cmd.Start alone: on Windows the process is created suspended and only runs once
// it is in its job, so that not even its first child escapes.
type tree struct {
	cmd *exec.Cmd
	sys treeSys // what the system does: tree_unix.go, tree_windows.go
}

// newTree prepares cmd to run as a tree: the end of cmd's context kills the whole tree.
func newTree(cmd *exec.Cmd) *tree {
	t := &tree{cmd: cmd}
	t.sys.prepare(cmd)
	cmd.Cancel = func() error {
		t.kill()
		return nil
	}
	return t
}

// start starts the command and puts it in its tree before it runs any code of its own.
// If that fails, the process is killed and waited for, and start returns the error.
func (t *tree) start() error {
	if err := t.cmd.Start(); err != nil {
		return err
	}
	if err := t.sys.started(t.cmd); err != nil {
		_ = t.cmd.Process.Kill()
		_ = t.cmd.Wait()
		return fmt.Errorf("%s: cannot put the process in a tree of its own: %w", t.cmd.Path, err)
	}
	return nil
}

// kill kills every process of the tree that is still running.
func (t *tree) kill() {
	if t.cmd.Process != nil {
		t.sys.kill(t.cmd)
	}
}

// close kills what is left of the tree once the command has exited (children that
// outlived it) and releases what the system held for it.
func (t *tree) close() {
	t.kill()
	t.sys.close()
}

// run starts the command as a tree, waits for it and closes the tree.
func (t *tree) run() error {
	if err := t.start(); err != nil {
		return err
	}
	err := t.cmd.Wait()
	t.close()
	return err
}

// jobAPI is what a Job Object tree needs from Windows. The sequence that uses it
// (startInJob) is plain Go, tested on every system with a fake; tree_windows.go gives
// it the real calls.
type jobAPI interface {
	createJob() (job uintptr, err error) // a job that kills its processes when its last handle closes
	assign(job uintptr, pid int) error   // put the (suspended) process in the job
	resume(pid int) error                // let the process's threads run
	terminate(job uintptr) error         // kill every process in the job
	closeJob(job uintptr) error
}

// startInJob puts the suspended process pid in a new job and lets it run. On failure it
// releases the job; the caller kills the process, which has run no code yet.
func startInJob(api jobAPI, pid int) (job uintptr, err error) {
	job, err = api.createJob()
	if err != nil {
		return 0, fmt.Errorf("create a job object: %w", err)
	}
	if err := api.assign(job, pid); err != nil {
		return 0, errors.Join(fmt.Errorf("assign process %d to its job: %w", pid, err), api.closeJob(job))
	}
	if err := api.resume(pid); err != nil {
		return 0, errors.Join(fmt.Errorf("resume process %d: %w", pid, err), api.terminate(job), api.closeJob(job))
	}
	return job, nil
}
