package pipelines

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// TestMain fails the run if a test leaves goroutines behind, such as a pipeline stage
// blocked in a send that nobody will ever receive.
func TestMain(m *testing.M) {
	guard.Main(m)
}

const (
	// limit is the real time a test's bubble may take. Correct code needs milliseconds,
	// even under -race on a busy machine.
	limit = 5 * time.Second
	// fakeLimit is the fake time a test waits in a bubble for a call to return or for a
	// channel to close before it gives up and says what is stuck.
	fakeLimit = time.Hour
)

var bubbleRE = regexp.MustCompile(`synctest bubble (\d+)\]`)

// leftBehind returns the stacks of the goroutines of the caller's synctest bubble that
// are still there, the caller's own left out. Call it after synctest.Wait: a goroutine
// that is about to end has ended by then, so every stack returned is blocked for good
// (or until fake time moves on).
func leftBehind() []string {
	all := allStacks()
	header, _, _ := strings.Cut(all[0], "\n") // the caller
	mine := bubbleRE.FindStringSubmatch(header)
	if mine == nil {
		panic("leftBehind called outside a synctest bubble")
	}
	var out []string
	for _, g := range all[1:] {
		header, _, _ := strings.Cut(g, "\n")
		m := bubbleRE.FindStringSubmatch(header)
		// The bubble's own machinery (synctest, the guard) runs no code of this package.
		if m != nil && m[1] == mine[1] && strings.Contains(g, "/11_pipelines.") {
			out = append(out, g)
		}
	}
	return out
}

func allStacks() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Split(string(buf[:n]), "\n\n")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// describe says how many goroutines stacks holds and shows them.
func describe(stacks []string) string {
	what := fmt.Sprintf("%d goroutines left behind", len(stacks))
	if len(stacks) == 1 {
		what = "1 goroutine left behind"
	}
	return fmt.Sprintf("%s (a leak):\n\n%s", what, strings.Join(stacks, "\n\n"))
}

// gauge counts the calls in flight and remembers the most there ever were at once.
type gauge struct {
	mu               sync.Mutex
	now, peak, calls int
}

func (g *gauge) enter() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.now++
	g.calls++
	g.peak = max(g.peak, g.now)
}

func (g *gauge) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.now--
}

func (g *gauge) stats() (peak, calls int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak, g.calls
}
