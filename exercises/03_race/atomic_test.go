package race

import "testing"

// The tests of the atomic exercise: CountAtomic in atomic.go. The checks are in checks_test.go.

func TestAtomicCounts(t *testing.T)      { testCounts(t, "CountAtomic", CountAtomic) }
func TestAtomicNoRace(t *testing.T)      { testNoRace(t, "CountAtomic", CountAtomic) }
func TestAtomicConcurrent(t *testing.T)  { testConcurrent(t, "CountAtomic", CountAtomic) }
func TestAtomicNoPolling(t *testing.T)   { testNoPolling(t, "CountAtomic", CountAtomic) }
func TestAtomicFetchError(t *testing.T)  { testFetchError(t, "CountAtomic", CountAtomic) }
func TestAtomicNoLeak(t *testing.T)      { testNoLeak(t, "CountAtomic", CountAtomic) }
func TestAtomicCaseFolding(t *testing.T) { testCaseFolding(t, "CountAtomic", CountAtomic) }
