package race

import (
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// TestMain fails the package if any test leaves a goroutine running.
func TestMain(m *testing.M) {
	guard.Main(m)
}
