package processes

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// runCall is a call of Run running on a goroutine of its own.
type runCall struct {
	returned chan struct{} // closed when Run has returned
	out      string        // what it returned: read them only after returned is closed
	err      error
	cancel   context.CancelFunc // cancels Run's ctx
}

// startRun calls Run(ctx, argv, input, grace) on a goroutine of its own. At the end of
// the test it cancels ctx and waits for Run to return, killing the workers of dir if it
// will not.
func startRun(t *testing.T, argv []string, dir, input string, grace time.Duration) *runCall {
	ctx, cancel := context.WithCancel(context.Background())
	c := &runCall{returned: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(c.returned)
		c.out, c.err = Run(ctx, argv, input, grace)
	}()
	t.Cleanup(func() {
		cancel()
		// A test that failed may have left a worker hung or blocked on a pipe: end it.
		if t.Failed() || !within(t, limit, "Run", func() { <-c.returned }) {
			for _, p := range records(dir) {
				p.kill()
			}
			within(t, limit, "Run", func() { <-c.returned })
		}
	})
	return c
}

// cancelRunning waits for Run's worker to start, then cancels Run's ctx. It reports
// whether it did; if not, it has failed t.
func cancelRunning(t *testing.T, c *runCall, what, dir string) bool {
	t.Helper()
	p, ok := awaitRecord(dir, c.returned)
	switch {
	case !ok && isClosed(c.returned):
		t.Errorf("%s returned (%q, %v) at once, and no worker process ever started: Run must start argv "+
			"(exec.CommandContext(ctx, argv[0], argv[1:]...)) and wait for it", what, c.out, c.err)
		return false
	case !ok:
		t.Errorf("%s: no worker process started within %v%s", what, limit, stuck(dir))
		return false
	case isClosed(c.returned):
		t.Errorf("%s returned (%q, %v) before ctx was cancelled, though %v never exits by itself: Run "+
			"must wait for the worker to exit (cmd.Wait) before it returns", what, c.out, c.err, p)
		checkReaped(t, what, dir)
		return false
	}
	c.cancel()
	return true
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestRunOutput(t *testing.T) {
	input := "Bla bla\nmultiprocessing\np.join()\n"
	var want strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(input, "\n"), "\n") {
		want.WriteString(shaOf(line) + "\n")
	}
	for _, status := range []int{0, 3} {
		argv := worker(t, "sha", fmt.Sprint(status))
		dir := os.Getenv(recordsEnv)
		what := fmt.Sprintf("Run(ctx, %s, %q, time.Second) with a worker that exits with status %d", show(argv), input, status)
		c := startRun(t, argv, dir, input, time.Second)
		if !within(t, limit, what, func() { <-c.returned }) {
			t.Errorf("%s was still running after %v, with ctx never cancelled: Run must give the worker "+
				"its input and close its stdin, which the worker reads to its end before it exits%s",
				what, limit, stuck(dir))
			return
		}
		if len(records(dir)) == 0 {
			t.Errorf("%s = (%q, %v), and no worker process ever started: Run must start argv "+
				"(exec.CommandContext(ctx, argv[0], argv[1:]...)), give it input on its stdin and return "+
				"what it writes to its stdout", what, c.out, c.err)
			return
		}
		if c.out != want.String() {
			t.Errorf("%s returned the output %q, want %q: the worker writes the SHA-256 of each line of its "+
				"input, and Run returns all of it", what, c.out, want.String())
		}
		var exit *exec.ExitError
		switch {
		case status == 0 && c.err != nil:
			t.Errorf("%s = %v, want nil: the worker exited with status 0", what, c.err)
		case status != 0 && (!errors.As(c.err, &exit) || exit.ExitCode() != status):
			t.Errorf("%s = %v, want an error that wraps the *exec.ExitError of exit status %d: the caller "+
				"must learn how the worker ended (Python's exitcode)", what, c.err, status)
		}
		checkReaped(t, what, dir)
	}
}

func TestRunCancelHung(t *testing.T) {
	argv := worker(t, "hang")
	dir := os.Getenv(recordsEnv)
	what := fmt.Sprintf("Run(ctx, %s, \"\", time.Second) with a worker that never exits by itself", show(argv))
	c := startRun(t, argv, dir, "", time.Second)
	if !cancelRunning(t, c, what, dir) {
		return
	}
	if !within(t, limit, what, func() { <-c.returned }) {
		t.Errorf("%s was still running %v after ctx was cancelled: the worker hangs, and Run never stopped "+
			"it. Python's p.join() on a hung process waits for ever too; a Go call that takes a ctx must "+
			"stop its work when ctx is done: start the worker with exec.CommandContext(ctx, ...), which "+
			"ends it when ctx is done, and wait for it%s", what, limit, stuck(dir))
		return
	}
	// First: whatever Run returned, it must leave no worker behind.
	checkReaped(t, what+", with ctx cancelled,", dir)
	if !errors.Is(c.err, context.Canceled) {
		t.Errorf("%s returned the error %v after ctx was cancelled, want an error that wraps "+
			"context.Canceled (ctx.Err()): the caller must learn that the worker was stopped because of "+
			"ctx, not that it failed on its own. If errors.Is(err, ctx.Err()) is false, wrap: "+
			"fmt.Errorf(\"%%w: %%w\", ctx.Err(), err)", what, c.err)
	}
}

func TestRunCancelStubborn(t *testing.T) {
	argv := worker(t, "stubborn")
	dir := os.Getenv(recordsEnv)
	const grace = 100 * time.Millisecond
	what := fmt.Sprintf("Run(ctx, %s, \"\", %v) with a worker that never exits by itself and ignores "+
		"interrupts", show(argv), grace)
	c := startRun(t, argv, dir, "", grace)
	if !cancelRunning(t, c, what, dir) {
		return
	}
	if !within(t, limit, what, func() { <-c.returned }) {
		t.Errorf("%s was still running %v after ctx was cancelled: the worker ignores the interrupt "+
			"(signal.Ignore), so it outlives its cancelled ctx unless it is killed once the grace of %v "+
			"has passed. Set cmd.WaitDelay = grace: when ctx is done, exec calls cmd.Cancel, then kills "+
			"the worker if it is still running WaitDelay later%s", what, limit, grace, stuck(dir))
		return
	}
	// First: whatever Run returned, it must leave no worker behind.
	checkReaped(t, what+", with ctx cancelled,", dir)
	if !errors.Is(c.err, context.Canceled) {
		t.Errorf("%s returned the error %v after ctx was cancelled, want an error that wraps "+
			"context.Canceled (ctx.Err()): the caller must learn that the worker was stopped because of ctx. "+
			"If errors.Is(err, ctx.Err()) is false, wrap: fmt.Errorf(\"%%w: %%w\", ctx.Err(), err)", what, c.err)
	}
}

func TestRunCancelTidy(t *testing.T) {
	argv := worker(t, "tidy")
	dir := os.Getenv(recordsEnv)
	const grace = time.Hour
	what := fmt.Sprintf("Run(ctx, %s, \"\", %v) with a worker that, on an interrupt, writes \"cleaned up\" "+
		"and exits", show(argv), grace)
	c := startRun(t, argv, dir, "", grace)
	if !cancelRunning(t, c, what, dir) {
		return
	}
	if !within(t, limit, what, func() { <-c.returned }) {
		t.Errorf("%s was still running %v after ctx was cancelled, with the worker waiting for an "+
			"interrupt: when ctx is done, Run must first ask the worker to stop, as Python's terminate() "+
			"does: cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }, and only kill "+
			"it after the grace period%s", what, limit, stuck(dir))
		return
	}
	// First: whatever Run returned, it must leave no worker behind.
	checkReaped(t, what+", with ctx cancelled,", dir)
	if c.out != "cleaned up\n" {
		t.Errorf("%s returned the output %q after ctx was cancelled, want %q: the worker never got to clean "+
			"up. exec.CommandContext kills the worker outright when ctx is done (SIGKILL, Python's kill()), "+
			"unless cmd.Cancel says otherwise: set cmd.Cancel to send os.Interrupt (Python's terminate() "+
			"sends SIGTERM), which a worker can catch, and cmd.WaitDelay = grace to kill it only if it "+
			"does not exit in time", what, c.out, "cleaned up\n")
	}
	if !errors.Is(c.err, context.Canceled) {
		t.Errorf("%s returned the error %v after ctx was cancelled, want an error that wraps "+
			"context.Canceled (ctx.Err()), even though the worker then exited with status 0: it exited "+
			"because it was told to", what, c.err)
	}
}
