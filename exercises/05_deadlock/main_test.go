package deadlock

import (
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// TestMain fails the run if a test leaves goroutines behind, such as transfers still
// blocked on a lock after a deadlock was reported.
func TestMain(m *testing.M) {
	guard.Main(m)
}
