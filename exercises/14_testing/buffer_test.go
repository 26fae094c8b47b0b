package concurrencytests

import "testing"

// This is your file: the tests of Buffer (buffer.go). Replace the body of each test with
// one that proves what its message asks; keep the test names, which the tool runs. Add
// the helpers and imports you need (testing/synctest, internal/guard, go-cmp, testify);
// main_test.go already has TestMain, limit, ready and oneProc.
//
// Your tests must pass on buffer.go as it is, under -race, and fail on every wrong
// version the tool holds back. Run them with `go run ./cmd/workbook run 14_testing/buffer`.

func TestBufferFIFO(t *testing.T) {
	t.Fatal("TODO: put 1, 2, 3 into a NewBuffer(3), Get three times, and check (cmp.Diff) that " +
		"they come out in that order. Run the body in guard.Bubble(t, limit, what, func(t *testing.T) {...}), " +
		"so that a Get that blocks for ever fails the test instead of hanging it")
}

func TestBufferGetWaits(t *testing.T) {
	t.Fatal("TODO: prove that Get on an empty buffer waits: call it in a goroutine inside a bubble " +
		"(guard.Bubble), park it with synctest.Wait and check it has not returned; then Put(7), " +
		"synctest.Wait again, and check it returned (7, true) with no fake time passing")
}

func TestBufferPutWaits(t *testing.T) {
	t.Fatal("TODO: prove that Put on a full buffer waits: fill a NewBuffer(2), park Put(3) in a " +
		"goroutine (synctest.Wait) and check it has not returned; then Get once, check the Put " +
		"returned, and that the items come out 1, 2, 3")
}

func TestBufferGetRechecks(t *testing.T) {
	t.Fatal("TODO: prove that a woken Get checks the buffer again: with oneProc(t), park a Get on " +
		"an empty NewBuffer(1), Put(v), start a second Get immediately (it usually runs before the woken " +
		"one and takes v), synctest.Wait, and check that exactly one Get returned, with v; repeat " +
		"for 20 rounds. Recover panics in the goroutines you start: a panic there kills the test binary")
}

func TestBufferCloseDrains(t *testing.T) {
	t.Fatal("TODO: put two items into a NewBuffer(3) and Close it; check that Put now returns " +
		"ErrClosed, that a second Close does nothing (no panic), and that Get returns the two items " +
		"and then (0, false), without blocking")
}

func TestBufferCloseWakesAll(t *testing.T) {
	t.Fatal("TODO: park several Gets on an empty buffer and several Puts on a full one " +
		"(synctest.Wait), Close both buffers, synctest.Wait, and check that every waiter returned: " +
		"the Gets with (0, false), the Puts with ErrClosed")
}
