package deadlock

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves goroutines behind, such as transfers still
// blocked on a lock after a deadlock was reported.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
