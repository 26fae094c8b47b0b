package race

import (
	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"testing"
)

// TestMain fails the package if any test leaves a goroutine running.
func TestMain(m *testing.M) {
	guard.Main(m)
}
