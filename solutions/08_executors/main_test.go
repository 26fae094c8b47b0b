package executors

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// TestMain fails the run if a test leaves goroutines behind, such as a worker still
// waiting for tasks after its pool was shut down.
func TestMain(m *testing.M) {
	guard.Main(m)
}

// limit is the real time a test's bubble may take. Correct code needs milliseconds, even
// under -race; code that spins instead of waiting never lets the bubble settle and is
// reported when the limit is up.
const limit = 4 * time.Second

// patience is how long, in fake time, the tests wait for a future before they call it
// unresolved. Every task in these tests ends within seconds of fake time.
const patience = time.Hour

// await waits up to patience of fake time for f and returns its value and error; resolved
// is false if f was still unresolved then. Call it in a bubble.
func await[T any](f *Future[T]) (v T, err error, resolved bool) {
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	v, err = f.Result(ctx)
	if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return v, err, false
	}
	return v, err, true
}

// isClosed reports whether ch is closed (or has a value ready), without waiting.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// ready returns the values already in ch, without waiting for more.
func ready[T any](ch chan T) []T {
	var out []T
	for {
		select {
		case v := <-ch:
			out = append(out, v)
		default:
			return out
		}
	}
}

// recovered calls f and returns the value it panicked with, or nil.
func recovered(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// gauge counts the tasks in flight and remembers the most there ever were at once.
type gauge struct {
	mu        sync.Mutex
	now, peak int
}

func (g *gauge) enter() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.now++
	g.peak = max(g.peak, g.now)
}

func (g *gauge) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.now--
}

func (g *gauge) max() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak
}

// childEnv names the test that this test binary, started again by inChild, is to run.
const childEnv = "WORKBOOK_08_EXECUTORS_CHILD"

// childLimit is the real time a child test binary may take. It needs well under a second.
const childLimit = 50 * time.Second

// inChild runs body as the whole of test t in a child process: this test binary started
// again, with -test.run selecting t alone. A task that panics in a goroutine nobody
// recovers ends the program that runs it; in the child, that ends the child only, and t
// fails here with what the child printed, instead of the whole test binary dying with no
// test to blame. When the child's body fails, t fails with the child's messages.
func inChild(t *testing.T, what string, body func(t *testing.T)) {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		body(t)
		return
	}
	ctx, cancel := context.WithTimeout(t.Context(), childLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v",
		"-test.count=1", fmt.Sprintf("-test.cpu=%d", runtime.GOMAXPROCS(0)))
	// The child gets none of the grader's WORKBOOK_ variables: it reports to nobody.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WORKBOOK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// Under -race a program sleeps a second before it exits, to catch late races; not here.
	gorace := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
	cmd.Env = append(cmd.Env, childEnv+"="+t.Name(), "GORACE="+gorace)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	output := out.String()
	switch {
	case ctx.Err() != nil:
		t.Errorf("%s did not end within %v of real time and was killed: a goroutine is stuck "+
			"(waiting on a mutex that is never unlocked, or spinning). It printed:\n%s",
			what, childLimit, output)
	case err == nil:
		return
	case strings.Contains(output, "--- FAIL: "+t.Name()):
		t.Errorf("%s\n(%s, run in a process of its own so that a panic cannot kill the test binary)",
			childMessages(output), what)
	case strings.Contains(output, "panic: "):
		t.Errorf("%s crashed the whole program: %s.\nA panic in a goroutine that nobody recovers "+
			"ends a Go program, every goroutine with it: one bad task killed the pool and every "+
			"other task. Python's executor catches a task's exception and stores it in the "+
			"future; in Go the goroutine that runs the task must recover the panic itself (a "+
			"deferred function that calls recover) and resolve the task's future with a "+
			"*PanicError. What the program printed:\n%s", what, panicLine(output), output)
	default:
		t.Errorf("%s failed (%v) without a test failure. What the program printed:\n%s",
			what, err, output)
	}
}

// childMessages returns what the child test printed about its failure: its output without
// the lines that only say it ran and failed, and without the file:line prefix of its
// messages, so that the first line is the child's first message.
func childMessages(output string) string {
	var keep []string
	for _, line := range strings.Split(output, "\n") {
		switch {
		case strings.HasPrefix(line, "=== RUN"), strings.HasPrefix(line, "--- FAIL"),
			line == "FAIL", strings.HasPrefix(line, "exit status"), strings.TrimSpace(line) == "":
			continue
		}
		if m := fileLine.FindStringIndex(line); m != nil {
			line = line[m[1]:]
		} else {
			line = strings.TrimPrefix(line, "    ")
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n")
}

// fileLine matches the start of a test's message: indentation, then file.go:NN: .
var fileLine = regexp.MustCompile(`^\s*\w+\.go:\d+: `)

// panicLine returns the first line of output that starts with "panic: ".
func panicLine(output string) string {
	for _, line := range strings.Split(output, "\n") {
		if strings.HasPrefix(line, "panic: ") {
			return line
		}
	}
	return "a panic"
}
