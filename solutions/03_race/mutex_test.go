package race

import "testing"

// The tests of the mutex exercise, CountMutex in mutex.go. The checks they run are in
// checks_test.go, shared by the three exercises.

// TestMutexCounts checks the counts of the twenty RFCs against testdata/03_race/counts.json.
func TestMutexCounts(t *testing.T) { testCounts(t, "CountMutex", CountMutex) }

// TestMutexNoRace counts documents that all arrive at once and checks that no increment was lost.
func TestMutexNoRace(t *testing.T) { testNoRace(t, "CountMutex", CountMutex) }

// TestMutexConcurrent checks, in fake time, that all twenty fetches are in flight at once.
func TestMutexConcurrent(t *testing.T) { testConcurrent(t, "CountMutex", CountMutex) }

// TestMutexNoPolling checks, in fake time, that the call returns as soon as the last fetch does.
func TestMutexNoPolling(t *testing.T) { testNoPolling(t, "CountMutex", CountMutex) }

// TestMutexFetchError checks that a failed fetch's error is returned and the other fetches cancelled.
func TestMutexFetchError(t *testing.T) { testFetchError(t, "CountMutex", CountMutex) }

// TestMutexNoLeak checks that no fetch is still running when the call returns after an error.
func TestMutexNoLeak(t *testing.T) { testNoLeak(t, "CountMutex", CountMutex) }

// TestMutexCaseFolding checks that uppercase letters count and everything else does not.
func TestMutexCaseFolding(t *testing.T) { testCaseFolding(t, "CountMutex", CountMutex) }

// TestMutexTwoCalls runs two calls at the same time and checks that each returns its own counts, on time.
func TestMutexTwoCalls(t *testing.T) { testTwoCalls(t, "CountMutex", CountMutex) }
