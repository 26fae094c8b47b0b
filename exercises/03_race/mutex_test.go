package race

import "testing"

// The tests of the mutex exercise: CountMutex in mutex.go. The checks are in checks_test.go.

func TestMutexCounts(t *testing.T)      { testCounts(t, "CountMutex", CountMutex) }
func TestMutexNoRace(t *testing.T)      { testNoRace(t, "CountMutex", CountMutex) }
func TestMutexConcurrent(t *testing.T)  { testConcurrent(t, "CountMutex", CountMutex) }
func TestMutexNoPolling(t *testing.T)   { testNoPolling(t, "CountMutex", CountMutex) }
func TestMutexFetchError(t *testing.T)  { testFetchError(t, "CountMutex", CountMutex) }
func TestMutexNoLeak(t *testing.T)      { testNoLeak(t, "CountMutex", CountMutex) }
func TestMutexCaseFolding(t *testing.T) { testCaseFolding(t, "CountMutex", CountMutex) }
