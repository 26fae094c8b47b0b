package locks

import (
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// TestMain fails the run if a test leaves goroutines behind, such as a call still
// blocked on a lock that a method forgot to unlock.
func TestMain(m *testing.M) {
	guard.Main(m)
}

// limit is the real time a guarded call or bubble may take, and the longest a test
// waits for a goroutine to get somewhere. Correct code needs microseconds to
// milliseconds, even under -race on a busy machine; a goroutine blocked on a sync.Mutex
// that nobody will unlock is reported when the limit is up.
const limit = 3 * time.Second

// eventually polls cond every millisecond for up to limit of real time and reports
// whether it became true. Tests use it outside synctest bubbles, where a goroutine
// blocked on a sync.Mutex or sync.RWMutex cannot be waited for any other way.
func eventually(cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
	return true
}

// parked returns how many goroutines have frame on their stack, do not have except
// (if not empty), and are parked where code waits for another goroutine: on a lock, a
// condition, a channel, a select or a sleep. Running goroutines, and goroutines paused
// by the runtime (for the garbage collector, say), do not count.
func parked(frame, except string) int {
	n := 0
	guard.Stacks(func(header, stack string) bool {
		if strings.Contains(stack, frame) && (except == "" || !strings.Contains(stack, except)) &&
			waiting(header) {
			n++
		}
		return false
	})
	return n
}

// waiting reports whether a goroutine header like "goroutine 7 [sync.RWMutex.Lock]:"
// says the goroutine waits for another one.
func waiting(header string) bool {
	_, status, _ := strings.Cut(header, "[")
	status, _, _ = strings.Cut(status, "]")
	status, _, _ = strings.Cut(status, ",")
	for _, w := range []string{"sync.", "chan send", "chan receive", "select", "sleep", "semacquire"} {
		if strings.HasPrefix(status, w) {
			return true
		}
	}
	return false
}

// closed reports whether ch is closed, without waiting.
func closed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
