package race

import "testing"

// The tests of the confined exercise, CountConfined in confined.go. The checks they run are in
// checks_test.go, shared by the three exercises.

// TestConfinedCounts checks the counts of the twenty RFCs against testdata/03_race/counts.json.
func TestConfinedCounts(t *testing.T) { testCounts(t, "CountConfined", CountConfined) }

// TestConfinedNoRace counts documents that all arrive at once and checks that no increment was lost.
func TestConfinedNoRace(t *testing.T) { testNoRace(t, "CountConfined", CountConfined) }

// TestConfinedConcurrent checks, in fake time, that all twenty fetches are in flight at once.
func TestConfinedConcurrent(t *testing.T) { testConcurrent(t, "CountConfined", CountConfined) }

// TestConfinedNoPolling checks, in fake time, that the call returns as soon as the last fetch does.
func TestConfinedNoPolling(t *testing.T) { testNoPolling(t, "CountConfined", CountConfined) }

// TestConfinedFetchError checks that a failed fetch's error is returned and the other fetches cancelled.
func TestConfinedFetchError(t *testing.T) { testFetchError(t, "CountConfined", CountConfined) }

// TestConfinedNoLeak checks that no fetch is still running when the call returns after an error.
func TestConfinedNoLeak(t *testing.T) { testNoLeak(t, "CountConfined", CountConfined) }

// TestConfinedCaseFolding checks that uppercase letters count and everything else does not.
func TestConfinedCaseFolding(t *testing.T) { testCaseFolding(t, "CountConfined", CountConfined) }

// TestConfinedTwoCalls runs two calls at the same time and checks that each returns its own counts, on time.
func TestConfinedTwoCalls(t *testing.T) { testTwoCalls(t, "CountConfined", CountConfined) }
