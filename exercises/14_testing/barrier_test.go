package concurrencytests

import "testing"

// This is your file: the tests of Barrier (barrier.go). Replace the body of each test with
// one that proves what its message asks; keep the test names, which the tool runs. A call
// that must block is parked first (synctest.Wait in a bubble), then checked: only then
// does "it has not returned" mean "it waits".
//
// Your tests must pass on barrier.go as it is, under -race, and fail on every wrong
// version the tool holds back. Run them with `go run ./cmd/workbook run 14_testing/barrier`.

func TestBarrierWaitsForAll(t *testing.T) {
	t.Fatal("TODO: in a bubble, start 2 goroutines calling Wait on a NewBarrier(3), park them " +
		"(synctest.Wait) and check that neither has returned; then start a third, so that all " +
		"three are released and no goroutine is left behind")
}

func TestBarrierReleasesAll(t *testing.T) {
	t.Fatal("TODO: park 2 goroutines in Wait on a NewBarrier(3), start a third, synctest.Wait, " +
		"and check that all 3 returned with no fake time passing; then check that a NewBarrier(1) " +
		"lets every Wait through without waiting")
}

func TestBarrierGenerations(t *testing.T) {
	t.Fatal("TODO: start 9 goroutines calling Wait on a NewBarrier(3), one at a time with " +
		"synctest.Wait after each, and check how many have returned after each arrival: " +
		"0, 0, 3, 3, 3, 6, 6, 6, 9")
}

func TestBarrierBackToBack(t *testing.T) {
	t.Fatal("TODO: with oneProc(t), run a goroutine A that calls Wait in a loop on a NewBarrier(2) " +
		"and counts its calls (sync/atomic); have the test arrive last in a generation and call " +
		"Wait again immediately. Check that every generation completes, and that each time the test " +
		"passes one, A has arrived in it; repeat for 10 rounds")
}
