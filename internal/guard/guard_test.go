package guard_test

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fixtures below fail on purpose. They run only in a child process started by
// TestGuardReports, which checks that each failed the way it should and did not hang.
const fixtureEnv = "GUARD_FIXTURE"

func fixture(t *testing.T) {
	if os.Getenv(fixtureEnv) != t.Name() {
		t.Skip("fixture: runs only in the child process of TestGuardReports")
	}
}

func TestFixtureBubbleDeadlock(t *testing.T) {
	fixture(t)
	guard.Bubble(t, guard.Limit, "Get() on an empty buffer", func(t *testing.T) {
		ch := make(chan int)
		go func() { stuckReceiver(ch) }()
		<-ch
	})
}

func stuckReceiver(ch chan int) { <-ch }

func TestFixtureBubbleLeak(t *testing.T) {
	fixture(t)
	guard.Bubble(t, guard.Limit, "Start()", func(t *testing.T) {
		ch := make(chan int)
		go func() { stuckReceiver(ch) }()
	})
}

func TestFixtureBubbleMutex(t *testing.T) {
	fixture(t)
	var mu sync.Mutex
	mu.Lock()
	guard.Bubble(t, 200*time.Millisecond, "Transfer(a, b)", func(t *testing.T) {
		stuckOnMutex(&mu)
	})
}

func stuckOnMutex(mu *sync.Mutex) { mu.Lock() }

func TestFixtureRunMutex(t *testing.T) {
	fixture(t)
	var mu sync.Mutex
	mu.Lock()
	t.Run("sub", func(t *testing.T) { // the parent, waiting for its subtest, is not code under test
		guard.Run(t, 200*time.Millisecond, "Transfer(a, b)", func() { stuckOnMutex(&mu) })
	})
}

func TestFixtureRunPanic(t *testing.T) {
	fixture(t)
	guard.Run(t, guard.Limit, "Count()", func() { panic("boom") })
}

func TestFixtureBubbleFatal(t *testing.T) {
	fixture(t)
	guard.Bubble(t, guard.Limit, "Count()", func(t *testing.T) { t.Fatal("wrong count") })
	t.Log("after the bubble")
}

func TestGuardReports(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		want    []string
		notWant []string // what the stacks must leave out: the test's own goroutine parked in the guard
	}{
		{name: "bubble_deadlock", fixture: "TestFixtureBubbleDeadlock",
			want: []string{"Get() on an empty buffer: deadlock: all goroutines in bubble are blocked", "guard_test.stuckReceiver", "(durable)"}},
		{name: "bubble_mutex", fixture: "TestFixtureBubbleMutex",
			want: []string{"Transfer(a, b) did not finish within 200ms of real time", "guard_test.stuckOnMutex"}},
		{name: "run_mutex", fixture: "TestFixtureRunMutex",
			want:    []string{"Transfer(a, b) did not finish within 200ms", "guard_test.stuckOnMutex"},
			notWant: []string{"guard_test.TestFixtureRunMutex("}},
		{name: "bubble_leak", fixture: "TestFixtureBubbleLeak",
			want:    []string{"Start() returned while goroutines it started were still running", "a goroutine leak", "guard_test.stuckReceiver"},
			notWant: []string{"a deadlock"}},
		{name: "run_panic", fixture: "TestFixtureRunPanic",
			want: []string{"Count() panicked: boom", "guard_test.TestFixtureRunPanic"}},
		{name: "bubble_fatal", fixture: "TestFixtureBubbleFatal",
			want: []string{"wrong count", "after the bubble"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^"+tt.fixture+"$", "-test.v", "-test.timeout=60s")
			cmd.Env = append(os.Environ(), fixtureEnv+"="+tt.fixture)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "fixture %s passed; it must fail:\n%s", tt.fixture, out)
			assert.Contains(t, string(out), "--- FAIL: "+tt.fixture, "the fixture must fail as a test, not crash the binary")
			for _, w := range tt.want {
				assert.Contains(t, string(out), w)
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, string(out), w)
			}
			assert.False(t, strings.Contains(string(out), "panic: test timed out"), "the guard must report before -timeout")
		})
	}
}

func TestBubblePasses(t *testing.T) {
	guard.Bubble(t, guard.Limit, "sleep", func(t *testing.T) {
		start := time.Now()
		time.Sleep(time.Hour)
		assert.Equal(t, time.Hour, time.Since(start), "fake time")
	})
}

func TestRunPasses(t *testing.T) {
	assert.True(t, guard.Run(t, guard.Limit, "noop", func() {}))
}

func TestAwaitStateSeesMutexWait(t *testing.T) {
	var mu sync.Mutex
	mu.Lock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		stuckOnMutex(&mu)
		mu.Unlock()
	}()
	assert.True(t, guard.AwaitState("guard_test.stuckOnMutex", "sync.Mutex.Lock", guard.Limit))
	assert.False(t, guard.AwaitState("guard_test.noSuchFunction", "sync.Mutex.Lock", 10*time.Millisecond))
	mu.Unlock()
	<-done
}

func TestStatesInBubble(t *testing.T) {
	guard.Bubble(t, guard.Limit, "cond wait", func(t *testing.T) {
		var mu sync.Mutex
		cond := sync.NewCond(&mu)
		ready := false
		go func() {
			mu.Lock()
			for !ready {
				cond.Wait()
			}
			mu.Unlock()
		}()
		synctest.Wait()
		assert.Equal(t, []string{"sync.Cond.Wait (durable)"}, guard.States("guard_test.TestStatesInBubble.func1.1"))
		mu.Lock()
		ready = true
		cond.Signal()
		mu.Unlock()
	})
}
