package goroutines

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// wantMain is what Main prints: the two "loading" lines come in either order, since
// the goroutine and Main print them at the same moment; the rest in this order.
var wantMain = []string{
	"big.png: loading",
	"small.png: loading",
	"small.png: loaded",
	"big.png: loaded",
	"done in 2s",
}

// checkMain fails t unless out is what Main prints. ended says how the program (or the
// call) ended, for the message.
func checkMain(t *testing.T, what, ended, out string) {
	t.Helper()
	got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(got) >= 2 && got[0] == wantMain[1] && got[1] == wantMain[0] {
		got[0], got[1] = got[1], got[0] // either order is right
	}
	diff := cmp.Diff(wantMain, got)
	if diff == "" {
		return
	}
	why := "Leave the lines Main prints as they are, and only add the wait."
	switch {
	case !strings.Contains(out, "big.png: loaded"):
		why = ended + " while the goroutine loading big.png was still running: it never printed " +
			"\"big.png: loaded\". A Go program does not wait for its goroutines when main returns: " +
			"every goroutine is like a Python thread with daemon=True. Make Main wait for the " +
			"goroutine before it prints \"done in\" (Python's thread.join()): a channel that the " +
			"goroutine closes when it is done, or a sync.WaitGroup."
	case strings.Index(out, "big.png: loaded") < strings.Index(out, "small.png: loading"):
		why = "The two loads ran one after another: start big.png's load with go, so that " +
			"small.png loads while big.png is still waiting for the disk."
	case strings.Contains(out, "done in") &&
		strings.Index(out, "done in") < strings.Index(out, "big.png: loaded"):
		why = "Main printed \"done in\" before big.png had loaded: it waits for the goroutine " +
			"only after printing, or not for long enough. Wait until the goroutine says it is " +
			"done (a channel it closes, or a sync.WaitGroup), then print \"done in\"."
	case strings.Contains(out, "done in") && !strings.Contains(out, "done in 2s"):
		_, after, _ := strings.Cut(out, "done in ")
		line, _, _ := strings.Cut(after, "\n")
		took, err := time.ParseDuration(line)
		switch {
		case err != nil:
			// The line is not "done in <duration>": the diff shows it.
		case took < 2*time.Second:
			why = fmt.Sprintf("Main printed \"done in %v\" after both loads had ended, but they "+
				"took 2s: time.Since(start) was computed too early. A deferred call's arguments are "+
				"evaluated when the defer statement runs, not when Main returns: "+
				"defer fmt.Fprintf(w, \"done in %%v\\n\", time.Since(start)) measures nothing. "+
				"Compute time.Since(start) after the wait, as the starting code does.", took)
		default:
			why = fmt.Sprintf("Main took %v, %v more than its loads: big.png takes 2s and "+
				"small.png 1s at the same time, so 2s in all. Main went on waiting after the "+
				"goroutine had finished: a time.Sleep, or a loop that sleeps between looks at a "+
				"flag, is a guess that wastes time when it is too long and loses output when it is "+
				"too short. Wait until the goroutine says it is done (a channel it closes, or a "+
				"sync.WaitGroup).", took, took-2*time.Second)
		}
	}
	t.Errorf("%s printed lines that mismatch (-want +got):\n%s\n%s\nIt printed:\n%s", what, diff, why, out)
}

// guessing reports whether Main is asleep in a time.Sleep of its own rather than in the
// load of an image (pretendLoad): a sleep standing for a wait.
func guessing() bool {
	found := false
	guard.Stacks(func(header, stack string) bool {
		if strings.Contains(header, "[sleep") && strings.Contains(stack, "01_goroutines.Main(") &&
			!strings.Contains(stack, "01_goroutines.pretendLoad(") {
			found = true
		}
		return false
	})
	return found
}

// lockedBuffer is an io.Writer that goroutines may share, like a program's standard
// output.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestDaemonOutput(t *testing.T) {
	const what = "Main(w)"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		var w lockedBuffer
		returned := make(chan struct{})
		go func() {
			defer close(returned)
			Main(&w)
		}()
		// At 1.5s small.png has loaded and big.png has not: Main has nothing to do but wait
		// for its goroutine.
		time.Sleep(1500 * time.Millisecond)
		synctest.Wait()
		if guessing() {
			t.Errorf("%s: at 1.5s of fake time, with small.png loaded and big.png still "+
				"loading, Main is in time.Sleep: it guesses how long big.png has left instead of "+
				"waiting for the goroutine to say it is done. A guess that is exactly right still "+
				"wakes Main at the same instant as the goroutine, so \"done in\" comes before or "+
				"after \"big.png: loaded\" by chance. Wait for the goroutine itself: a channel it "+
				"closes when it is done, or a sync.WaitGroup.", what)
		}
		<-returned
		checkMain(t, what, "Main returned", w.String())
		if t.Failed() {
			letLeftoversFinish()
		}
	})
}

// childEnv tells this test binary, started again by TestDaemonExit, to be the program.
const childEnv = "WORKBOOK_01_GOROUTINES_MAIN"

// childLimit is the real time the program may take. It needs well under a second.
const childLimit = time.Minute

// TestDaemonExit runs Main as a real program: it starts this test binary again with
// childEnv set, and the binary runs Main and exits, as a Go program's main does when it
// returns. Only what the program printed before it exited comes out.
func TestDaemonExit(t *testing.T) {
	if os.Getenv(childEnv) == "1" {
		// This is the program. The bubble gives it fake time, so that its seconds of
		// loading take no real time, and exactly as long every run.
		synctest.Test(t, func(t *testing.T) {
			Main(os.Stdout)
			os.Exit(0) // what happens when main returns: the program ends, goroutines and all
		})
		return
	}

	const what = "the program whose main function is Main(os.Stdout)"
	ctx, cancel := context.WithTimeout(t.Context(), childLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestDaemonExit$")
	// The program gets none of the grader's WORKBOOK_ variables: it reports to nobody.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WORKBOOK_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	// Under -race a program sleeps a second before it exits, to catch late races; not here.
	gorace := strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
	cmd.Env = append(cmd.Env, childEnv+"=1", "GORACE="+gorace)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		t.Errorf("%s did not end within %v of real time and was killed: Main is stuck (a "+
			"goroutine waiting on a mutex that is never unlocked, or spinning). It printed:\n%s%s",
			what, childLimit, stdout.String(), stderr.String())
		return
	case errors.As(err, new(*exec.ExitError)):
		t.Errorf("%s failed (%v) instead of exiting normally when Main returned: a deadlock, a "+
			"panic or a data race. Its output:\n%s%s", what, err, stdout.String(), stderr.String())
		return
	case err != nil:
		t.Fatalf("running %s again as the program: %v", os.Args[0], err)
	}
	checkMain(t, what, "The program ended when Main returned", stdout.String())
}
