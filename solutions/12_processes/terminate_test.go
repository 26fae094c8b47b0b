package processes

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// runCall is a call of Run running on a goroutine of its own.
type runCall struct {
	returned chan struct{} // closed when Run has returned
	out      string        // what it returned: read them only after returned is closed
	err      error
	cancel   context.CancelFunc // cancels Run's ctx

	worker  atomic.Pointer[proc] // the worker, once the test has seen it start
	atEnd   string               // the worker's state the moment Run returned ("" for gone)
	waiters []goroutine          // the goroutines still in cmd.Wait the moment Run returned
}

// startRun calls Run(ctx, argv, input, grace) on a goroutine of its own. At the end of
// the test it cancels ctx and waits for Run to return, killing the workers of dir if it
// will not.
func startRun(t *testing.T, argv []string, dir, input string, grace time.Duration) *runCall {
	ctx, cancel := context.WithCancel(context.Background())
	c := &runCall{returned: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(c.returned)
		buf := make([]byte, 1<<20) // so that nothing delays the look below
		c.out, c.err = Run(ctx, argv, input, grace)
		if p := c.worker.Load(); p != nil {
			c.atEnd = p.state()
		}
		c.waiters = waitersIn(buf)
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

// waitersIn returns the goroutines of the code under test that are waiting for a
// process to exit, in cmd.Wait, dumped into buf. A call that returns only once it has
// Wait's result leaves none: looked for the moment it returns, they show one that killed
// its worker and returned while another goroutine still waited for it, before the kill
// has even taken effect.
func waitersIn(buf []byte) []goroutine {
	var ws []goroutine
	for _, g := range goroutinesIn(buf) {
		if g.inWait() && g.learner() {
			ws = append(ws, g)
		}
	}
	return ws
}

// checkWaited fails t if, the moment the call returned, a goroutine was still in
// cmd.Wait (ws), or its worker p (if known) still existed (atEnd, its state then).
func checkWaited(t *testing.T, call string, ws []goroutine, p *proc, atEnd string) {
	t.Helper()
	switch {
	case len(ws) > 0:
		t.Errorf("%s returned while a goroutine was still in cmd.Wait, waiting for the worker to exit: the "+
			"call did not wait for Wait's result. Until Wait returns the worker is not reaped (a kill only "+
			"asks the system to end it), and the goroutine lives on after the call. Whatever path returns, "+
			"the kill included, must first receive what Wait returned. The goroutine:\n\n%s", call, ws[0].stack)
	case p != nil && atEnd != "" && (atEnd != "Z" || runtime.GOOS != "windows"):
		// On Windows, a process waited for may linger a moment (see checkReaped).
		t.Errorf("%s returned while %v still existed (%s), though it ended just after: the call did not "+
			"wait for Wait's result. A kill only asks the system to end a process, and only Wait, once "+
			"it returns, says that it has ended and has been reaped: whatever path returns, the kill "+
			"included, must first receive what Wait returned", call, p, stateWords(atEnd))
	}
}

// cancelRunning waits for Run's worker to start, then cancels Run's ctx. It returns the
// worker and whether it did; if not, it has failed t.
func cancelRunning(t *testing.T, c *runCall, what, dir string) (proc, bool) {
	t.Helper()
	p, ok := awaitRecord(dir, c.returned)
	switch {
	case !ok && isClosed(c.returned):
		t.Errorf("%s returned (%q, %v) as soon as it was called, and no worker process ever started: Run "+
			"must start argv (exec.CommandContext(ctx, argv[0], argv[1:]...)) and wait for it", what, c.out, c.err)
		return p, false
	case !ok:
		t.Errorf("%s: no worker process started within %v%s", what, limit, stuck(dir))
		return p, false
	case isClosed(c.returned):
		t.Errorf("%s returned (%q, %v) before ctx was cancelled, though %v never exits by itself: Run "+
			"must wait for the worker to exit (cmd.Wait) before it returns", what, c.out, c.err, p)
		checkReaped(t, what, dir)
		return p, false
	}
	c.worker.Store(&p)
	c.cancel()
	return p, true
}

// awaitCancelled waits for Run to return after its ctx was cancelled. It gives up after
// limit, or sooner once nothing can stop the worker p any more (runStuck), and then
// returns false and the reason ("" after limit).
func awaitCancelled(t *testing.T, c *runCall, what string, p proc) (bool, string) {
	t.Helper()
	return withinUnless(t, limit, what, func() { <-c.returned }, func() string { return runStuck(p) })
}

// runStuck says why Run, its ctx cancelled, can no longer stop its worker p, or ""
// while something still may: the worker has exited, os/exec is still to interrupt it or
// to kill it once WaitDelay has passed, or a goroutine of Run is busy (running,
// sleeping, in a system call other than Wait).
func runStuck(p proc) string {
	if p.exited() {
		return ""
	}
	inWait := false
	for _, g := range goroutines() {
		switch {
		case g.watchCtx():
			return ""
		case !g.learner():
			continue
		case g.inWait():
			inWait = true
		case !g.parked():
			return ""
		}
	}
	if inWait {
		return "Run waits in cmd.Wait for the worker, and nothing is left to stop it: os/exec has no " +
			"Cancel to call and no WaitDelay to wait out, and no goroutine of Run is busy"
	}
	return "every goroutine of Run waits on a channel or a lock, and nothing is left to stop the worker"
}

// stillRunning begins a message about Run still running after its ctx was cancelled:
// for how long, and why it never will return, if it was found stuck.
func stillRunning(what, why string) string {
	if why == "" {
		return fmt.Sprintf("%s was still running %v after ctx was cancelled", what, limit)
	}
	return fmt.Sprintf("%s was still running %v after ctx was cancelled, and will never return: %s",
		what, settle, why)
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
		checkWaited(t, what, c.waiters, c.worker.Load(), c.atEnd)
		checkReaped(t, what, dir)
	}
}

// interruptContract is what the tests say of Run's interrupt on this system.
func interruptContract() string {
	if runtime.GOOS == "windows" {
		return "on Windows, which cannot send an interrupt to another process (Process.Signal(os.Interrupt) returns an " +
			"error), Run must kill the worker as soon as ctx is done: a cmd.Cancel whose Signal fails " +
			"kills instead (cmd.Process.Kill())"
	}
	return "when ctx is done Run must send the worker an interrupt (cmd.Cancel = func() error { return " +
		"cmd.Process.Signal(os.Interrupt) }), and kill it if it still runs grace later (cmd.WaitDelay = grace)"
}

func TestRunCancelHung(t *testing.T) {
	argv := worker(t, "hang")
	dir := os.Getenv(recordsEnv)
	const grace = 5 * time.Second
	what := fmt.Sprintf("Run(ctx, %s, \"\", %v) with a worker that writes %q and never exits by itself", show(argv),
		grace, hangLine)
	c := startRun(t, argv, dir, "", grace)
	p, ok := cancelRunning(t, c, what, dir)
	if !ok {
		return
	}
	if ok, why := awaitCancelled(t, c, what, p); !ok {
		t.Errorf("%s. The worker got %s. Python's p.join() on a hung process waits for ever too; a Go call "+
			"that takes a ctx must stop its work when ctx is done: tie the worker to ctx with "+
			"exec.CommandContext(ctx, ...), or watch ctx.Done() yourself; %s%s",
			stillRunning(what, why), gotInterrupt(p, dir), interruptContract(), stuck(dir))
		return
	}
	// First: whatever Run returned, it must leave no worker behind.
	checkWaited(t, what+", with ctx cancelled,", c.waiters, c.worker.Load(), c.atEnd)
	checkReaped(t, what+", with ctx cancelled,", dir)
	if !errors.Is(c.err, context.Canceled) {
		t.Errorf("%s returned the error %v after ctx was cancelled, want an error that wraps "+
			"context.Canceled (ctx.Err()): the caller must learn that the worker was stopped because of "+
			"ctx, not that it failed on its own. If errors.Is(err, ctx.Err()) is false, wrap: "+
			"fmt.Errorf(\"%%w: %%w\", ctx.Err(), err)", what, c.err)
	}
	if c.out != hangLine {
		t.Errorf("%s returned the output %q after ctx was cancelled, want %q: Run returns what the worker "+
			"wrote before it was stopped, all of it, and reads it only once it is all there: after Wait, "+
			"which waits for os/exec's copy of the worker's stdout to end", what, c.out, hangLine)
	}
}

// gotInterrupt says whether p recorded an interrupt.
func gotInterrupt(p proc, dir string) string {
	if p.interrupted(dir) {
		return "an interrupt"
	}
	return "no interrupt and no kill"
}

func TestRunCancelStubborn(t *testing.T) {
	argv := worker(t, "stubborn")
	dir := os.Getenv(recordsEnv)
	const grace = 100 * time.Millisecond
	what := fmt.Sprintf("Run(ctx, %s, \"\", %v) with a worker that never exits by itself and ignores "+
		"interrupts", show(argv), grace)
	c := startRun(t, argv, dir, "", grace)
	p, ok := cancelRunning(t, c, what, dir)
	if !ok {
		return
	}
	if ok, why := awaitCancelled(t, c, what, p); !ok {
		if p.interrupted(dir) {
			t.Errorf("%s. The worker got the interrupt and ignores it, as a process may: only a kill ends it, "+
				"once the grace of %v has passed. Set cmd.WaitDelay = grace: when ctx is done, os/exec calls "+
				"cmd.Cancel, then kills the worker if it is still running WaitDelay later%s",
				stillRunning(what, why), grace, stuck(dir))
			return
		}
		t.Errorf("%s. The worker got no interrupt and no kill: %s%s", stillRunning(what, why),
			interruptContract(), stuck(dir))
		return
	}
	// First: whatever Run returned, it must leave no worker behind.
	checkWaited(t, what+", with ctx cancelled,", c.waiters, c.worker.Load(), c.atEnd)
	checkReaped(t, what+", with ctx cancelled,", dir)
	if c.out != hangLine {
		t.Errorf("%s returned the output %q after ctx was cancelled, want %q: Run returns what the worker "+
			"wrote before it was killed, all of it, and reads it only once it is all there: after Wait, "+
			"which waits for the copy of the worker's stdout to end", what, c.out, hangLine)
	}
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
	what := fmt.Sprintf("Run(ctx, %s, \"\", %v) with a worker that writes %q and, on an interrupt, writes "+
		"\"cleaned up\" and exits", show(argv), grace, hangLine)
	c := startRun(t, argv, dir, "", grace)
	p, ok := cancelRunning(t, c, what, dir)
	if !ok {
		return
	}
	if ok, why := awaitCancelled(t, c, what, p); !ok {
		if runtime.GOOS == "windows" {
			t.Errorf("%s: %s, not grace later%s", stillRunning(what, why), interruptContract(), stuck(dir))
			return
		}
		t.Errorf("%s. The worker, which waits for an interrupt, got %s: when ctx is done, Run must first "+
			"ask the worker to stop, as Python's terminate() does: cmd.Cancel = func() error { return "+
			"cmd.Process.Signal(os.Interrupt) }, and only kill it after the grace period%s",
			stillRunning(what, why), gotInterrupt(p, dir), stuck(dir))
		return
	}
	// First: whatever Run returned, it must leave no worker behind.
	checkWaited(t, what+", with ctx cancelled,", c.waiters, c.worker.Load(), c.atEnd)
	checkReaped(t, what+", with ctx cancelled,", dir)
	want := hangLine + "cleaned up\n"
	if runtime.GOOS == "windows" {
		notChecked(t, "that the worker got an interrupt and cleaned up before it exited",
			"Windows cannot send an interrupt to another process; checked instead: Run killed the worker as soon as ctx was done")
		want = hangLine
	}
	switch {
	case c.out == want:
	case runtime.GOOS == "windows":
		t.Errorf("%s returned the output %q after ctx was cancelled, want %q: Run returns what the worker "+
			"wrote before it was killed, all of it, read once it is all there: after Wait", what, c.out, want)
	default:
		t.Errorf("%s returned the output %q after ctx was cancelled, want %q: the worker never got to clean "+
			"up. exec.CommandContext kills the worker outright when ctx is done (SIGKILL, Python's kill()), "+
			"unless cmd.Cancel says otherwise: set cmd.Cancel to send os.Interrupt (Python's terminate() "+
			"sends SIGTERM), which a worker can catch, and cmd.WaitDelay = grace to kill it only if it "+
			"does not exit in time", what, c.out, want)
	}
	if !errors.Is(c.err, context.Canceled) {
		t.Errorf("%s returned the error %v after ctx was cancelled, want an error that wraps "+
			"context.Canceled (ctx.Err()), even though the worker then exited with status 0: it exited "+
			"because it was told to", what, c.err)
	}
}
