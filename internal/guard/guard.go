// Package guard keeps a wrong solution from hanging a test binary: it turns deadlocks,
// in a synctest bubble or outside one, into test failures that show the stuck goroutines.
//
// [Bubble] runs a test body in a testing/synctest bubble in a goroutine of its own, so
// that the runtime's "all goroutines in bubble are blocked" panic becomes a failure and a
// bubble that never goes idle (a goroutine blocked on a sync.Mutex, or spinning) is
// caught by a real-time limit. [Run] does the same for code that runs outside a bubble.
package guard

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// Limit is the real time a guarded body may take before it is reported as stuck. Correct
// solutions finish in a small fraction of it, even under -race on a busy machine.
const Limit = 10 * time.Second

// Bubble runs f in a synctest bubble (fake time, durable blocking) like synctest.Test,
// and returns when f and every goroutine it started have finished.
//
// If every goroutine in the bubble blocks for good, Bubble fails t with the stacks of
// the blocked goroutines instead of crashing the test binary. If the bubble is still busy
// after limit of real time (goroutines blocked on a sync.Mutex, which synctest cannot see
// as blocked, or spinning), Bubble fails t the same way and returns, leaving those
// goroutines behind. what names the call under test in the failure message.
//
// f runs in the bubble with its own *testing.T; it may call t.Fatal and require.
func Bubble(t *testing.T, limit time.Duration, what string, f func(t *testing.T)) {
	t.Helper()
	bubbleID := make(chan string, 1)
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		synctest.Test(t, func(t *testing.T) {
			bubbleID <- bubbleOf(currentHeader())
			f(t)
		})
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case p := <-done:
		if p == nil {
			return
		}
		if err, ok := p.(error); ok && strings.HasPrefix(err.Error(), "deadlock") {
			id := <-bubbleID
			stuck := Stacks(func(header, _ string) bool { return bubbleOf(header) == id })
			if strings.Contains(err.Error(), "main bubble goroutine has exited") {
				how := "blocked for good"
				if onlySleeping(stuck) {
					how = "asleep on fake time (a sleep, a timer or a polling loop), and nothing waited for them"
				}
				t.Errorf("%s returned while goroutines it started were still running, %s: "+
					"a goroutine leak. A function that starts goroutines must see them end before it "+
					"returns (or give them a way to end). The goroutines left behind:\n\n%s", what, how, stuck)
				return
			}
			t.Errorf("%s: %v.\nEvery goroutine is waiting for another one that will never act: "+
				"a deadlock (or a lost wake-up). The stuck goroutines:\n\n%s", what, err, stuck)
			return
		}
		panic(p)
	case <-timer.C:
		id := ""
		select {
		case id = <-bubbleID:
		default:
		}
		t.Errorf("%s did not finish within %v of real time.\nThe goroutines still running, each "+
			"with what it waits on in brackets ([sync.Mutex.Lock], [chan receive (nil chan)], [running] "+
			"for a spin):\n\n%s", what, limit,
			Stacks(func(header, _ string) bool { return id != "" && bubbleOf(header) == id }))
	}
}

// Run calls f in a new goroutine and waits up to limit of real time for it to return. It
// reports whether f returned. If f is still running at the limit, Run fails t with the
// stacks of the goroutines running code under test and returns false, leaving them behind.
// If f panics, Run fails t with the panic and its stack.
//
// f may call t.Error, but not t.Fatal or require: those must run on the test goroutine.
// what names the call under test in the failure message.
func Run(t testing.TB, limit time.Duration, what string, f func()) bool {
	t.Helper()
	done := make(chan any, 1)
	go func() {
		returned := false
		defer func() {
			p := recover()
			switch {
			case p != nil:
				done <- fmt.Sprintf("%v\n\n%s", p, stackOf())
			case !returned:
				done <- "runtime.Goexit (t.Fatal or require called off the test goroutine)"
			default:
				done <- nil
			}
		}()
		f()
		returned = true
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case p := <-done:
		if p != nil {
			t.Errorf("%s panicked: %v", what, p)
		}
		return true
	case <-timer.C:
		t.Errorf("%s did not finish within %v.\nThe goroutines still running, each with what it "+
			"waits on in brackets ([sync.Mutex.Lock], [chan receive (nil chan)], [running] for a spin):\n\n%s",
			what, limit, Stacks(nil))
		return false
	}
}

// Stacks returns the stacks of the goroutines that run code other than the testing
// framework's and this package's, keeping only those for which keep (if not nil) returns
// true. keep receives each goroutine's header line and its whole stack.
func Stacks(keep func(header, stack string) bool) string {
	var out []string
	for i, s := range allStacks() {
		if i == 0 { // the goroutine calling Stacks
			continue
		}
		header, _, _ := strings.Cut(s, "\n")
		if framework(s) || !underTest(s) || (keep != nil && !keep(header, s)) {
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return "(no goroutines running code under test)"
	}
	return strings.Join(out, "\n\n")
}

// underTest reports whether a goroutine is parked in code under test rather than in the
// testing framework or this package: a test's own goroutine waiting in Run or Bubble, or
// a parent test waiting for its subtests, is not. It looks at the innermost function
// that is not the runtime's, sync's or time's.
func underTest(stack string) bool {
	for _, line := range strings.Split(stack, "\n")[1:] {
		if line == "" || strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "created by") {
			continue
		}
		switch {
		case strings.HasPrefix(line, "runtime."), strings.HasPrefix(line, "sync."),
			strings.HasPrefix(line, "internal/"), strings.HasPrefix(line, "time."):
			continue
		case strings.HasPrefix(line, "testing."), strings.Contains(line, "/internal/guard."):
			return false
		}
		return true
	}
	return false
}

// framework reports whether every function on a goroutine's stack belongs to the
// runtime, the testing packages, goleak or this package.
func framework(stack string) bool {
	for _, line := range strings.Split(stack, "\n")[1:] {
		if line == "" || strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "created by") {
			continue
		}
		fn := line
		if i := strings.LastIndex(fn, "("); i > 0 {
			fn = fn[:i]
		}
		switch {
		case strings.HasPrefix(fn, "runtime."), strings.HasPrefix(fn, "testing."),
			strings.HasPrefix(fn, "testing/"), strings.HasPrefix(fn, "internal/"),
			strings.HasPrefix(fn, "os/signal."), strings.HasPrefix(fn, "go.uber.org/goleak"),
			strings.Contains(fn, "/internal/guard."), strings.HasPrefix(fn, "sync."),
			strings.HasPrefix(fn, "time."), fn == "main.main":
			continue
		}
		return false
	}
	return true
}

var bubbleRE = regexp.MustCompile(`synctest bubble (\d+)`)

func bubbleOf(header string) string {
	if m := bubbleRE.FindStringSubmatch(header); m != nil {
		return m[1]
	}
	return ""
}

func currentHeader() string {
	s := stackOf()
	header, _, _ := strings.Cut(s, "\n")
	return header
}

func stackOf() string {
	buf := make([]byte, 64<<10)
	return string(buf[:runtime.Stack(buf, false)])
}

// States returns the status of each goroutine that has a function whose name contains
// fn on its stack: the part of the goroutine's header that says what it waits for, such
// as "sync.Mutex.Lock", "sync.Cond.Wait (durable)", "chan receive (durable)", "sleep" or
// "runnable". Tests use it to see where a goroutine of the code under test is parked.
func States(fn string) []string {
	var states []string
	for _, g := range allStacks() {
		header, body, _ := strings.Cut(g, "\n")
		if !strings.Contains(body, fn) {
			continue
		}
		states = append(states, statusOf(header))
	}
	return states
}

// AwaitState waits up to limit of real time until a goroutine running fn (as in
// [States]) has a status that starts with state, and reports whether one did. It polls:
// use it outside synctest bubbles, where nothing else can say that a goroutine is parked
// on a mutex. Inside a bubble, prefer synctest.Wait followed by [States].
func AwaitState(fn, state string, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for {
		for _, s := range States(fn) {
			if strings.HasPrefix(s, state) {
				return true
			}
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
}

// statusOf returns the status in a header like
// "goroutine 7 [sync.Cond.Wait (durable), synctest bubble 1]:".
func statusOf(header string) string {
	_, s, _ := strings.Cut(header, "[")
	s, _, _ = strings.Cut(s, "]")
	s, _, _ = strings.Cut(s, ",")
	return s
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

// onlySleeping reports whether every goroutine of a stack dump sleeps (time.Sleep or a
// timer), rather than waiting on something that will never come.
func onlySleeping(stacks string) bool {
	n := 0
	for _, l := range strings.Split(stacks, "\n") {
		if h := strings.TrimSpace(l); strings.HasPrefix(h, "goroutine ") && strings.HasSuffix(h, "]:") {
			n++
			if !strings.Contains(h, "[sleep") {
				return false
			}
		}
	}
	return n > 0
}
