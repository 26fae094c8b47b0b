package race

import "testing"

// The tests of the atomic exercise, CountAtomic in atomic.go. The checks they run are in
// checks_test.go, shared by the three exercises.

// TestAtomicCounts checks the counts of the twenty RFCs against testdata/03_race/counts.json.
func TestAtomicCounts(t *testing.T) { testCounts(t, "CountAtomic", CountAtomic) }

// TestAtomicNoRace counts documents that all arrive at once and checks that no increment was lost.
func TestAtomicNoRace(t *testing.T) { testNoRace(t, "CountAtomic", CountAtomic) }

// TestAtomicConcurrent checks, in fake time, that all twenty fetches are in flight at once.
func TestAtomicConcurrent(t *testing.T) { testConcurrent(t, "CountAtomic", CountAtomic) }

// TestAtomicNoPolling checks, in fake time, that the call returns as soon as the last fetch does.
func TestAtomicNoPolling(t *testing.T) { testNoPolling(t, "CountAtomic", CountAtomic) }

// TestAtomicFetchError checks that a failed fetch's error is returned and the other fetches cancelled.
func TestAtomicFetchError(t *testing.T) { testFetchError(t, "CountAtomic", CountAtomic) }

// TestAtomicNoLeak checks that no fetch is still running when the call returns after an error.
func TestAtomicNoLeak(t *testing.T) { testNoLeak(t, "CountAtomic", CountAtomic) }

// TestAtomicCaseFolding checks that uppercase letters count and everything else does not.
func TestAtomicCaseFolding(t *testing.T) { testCaseFolding(t, "CountAtomic", CountAtomic) }

// TestAtomicTwoCalls runs two calls at the same time and checks that each returns its own counts, on time.
func TestAtomicTwoCalls(t *testing.T) { testTwoCalls(t, "CountAtomic", CountAtomic) }
