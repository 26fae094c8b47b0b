package concurrencytests

import "testing"

// This is your file: the tests of Limiter (limiter.go). Replace the body of each test with
// one that proves what its message asks; keep the test names, which the tool runs. In a
// synctest bubble (guard.Bubble) the clock is fake: time.Now, time.Sleep and timers use
// it, and it moves only when every goroutine of the bubble is blocked, so "this Wait
// returned 100ms after the start" is exact and takes no real time. Never call time.Sleep
// outside a bubble.
//
// Your tests must pass on limiter.go as it is, under -race, and fail on every wrong
// version the tool holds back. Run them with `go run ./cmd/workbook run 14_testing/limiter`.

func TestLimiterFirstAtOnce(t *testing.T) {
	t.Fatal("TODO: in a bubble, check that the first Wait on a NewLimiter(10) returns with no fake " +
		"time passed (time.Since(start) == 0), and that a Wait after time.Sleep(250 * time.Millisecond) " +
		"(fake time: inside the bubble) returns immediately too")
}

func TestLimiterSpacing(t *testing.T) {
	t.Fatal("TODO: call Wait 5 times back to back on a NewLimiter(10) in a bubble and check " +
		"(cmp.Diff) the fake times at which they returned: 0, 100ms, 200ms, 300ms, 400ms")
}

func TestLimiterNoBurst(t *testing.T) {
	t.Fatal("TODO: Wait once, let the limiter sit idle for a second of fake time, then Wait 3 " +
		"times back to back and check that they return 100ms apart: an idle limiter saves up one " +
		"start, not ten")
}

func TestLimiterConcurrent(t *testing.T) {
	t.Fatal("TODO: start 5 goroutines that each call Wait once at the same moment and send the " +
		"fake time at which it returned; sort the times and check they are 0, 100ms, …, 400ms. " +
		"Run it under -race")
}

func TestLimiterCancel(t *testing.T) {
	t.Fatal("TODO: Wait once; start a second Wait with a cancellable context in a goroutine, " +
		"sleep 50ms of fake time and check it has not returned; cancel, synctest.Wait, and check " +
		"it returned context.Canceled with no more fake time passed")
}

func TestLimiterCancelFreesTurn(t *testing.T) {
	t.Fatal("TODO: Wait once at 0; start a second Wait and cancel it at 50ms; then Wait again " +
		"and check that it returns at 100ms, one interval after the first start, not later: a " +
		"cancelled call never started, so it must not hold up the calls after it")
}
