package locks

import (
	"context"
	"fmt"
	"time"
)

// ExampleChanLock shows the Python Lock's acquire(blocking=False) and acquire(timeout=)
// on a ChanLock.
func ExampleChanLock() {
	l := NewChanLock()
	fmt.Println(l.TryLock()) // acquire(blocking=False) on a free lock
	fmt.Println(l.TryLock()) // ... and on a held one

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	fmt.Println(l.LockContext(ctx)) // acquire(timeout=0.01) on a held lock

	l.Unlock()
	fmt.Println(l.TryLock())
	l.Unlock()
	// Output:
	// true
	// false
	// context deadline exceeded
	// true
}
