package race

import "testing"

// The tests of the confined exercise: CountConfined in confined.go. The checks are in checks_test.go.

func TestConfinedCounts(t *testing.T)      { testCounts(t, "CountConfined", CountConfined) }
func TestConfinedNoRace(t *testing.T)      { testNoRace(t, "CountConfined", CountConfined) }
func TestConfinedConcurrent(t *testing.T)  { testConcurrent(t, "CountConfined", CountConfined) }
func TestConfinedNoPolling(t *testing.T)   { testNoPolling(t, "CountConfined", CountConfined) }
func TestConfinedFetchError(t *testing.T)  { testFetchError(t, "CountConfined", CountConfined) }
func TestConfinedNoLeak(t *testing.T)      { testNoLeak(t, "CountConfined", CountConfined) }
func TestConfinedCaseFolding(t *testing.T) { testCaseFolding(t, "CountConfined", CountConfined) }
