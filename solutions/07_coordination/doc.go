// Package coordination is the course's lesson on the threading module's other
// synchronisation primitives, Semaphore, BoundedSemaphore, Event and Barrier, and on
// one-time set-up, translated into Go.
//
// You build five things:
//
//   - Semaphore (semaphore.go, implement): a counting semaphore on a buffered channel,
//     with Acquire(ctx) instead of acquire(timeout=), and bounded like Python's
//     BoundedSemaphore: a Release with nothing held is an error, never an extra permit.
//   - RunWeighted (weighted.go, implement): calls of different weights kept within a
//     budget with golang.org/x/sync/semaphore, Python's release(n) turned into
//     Acquire(ctx, n).
//   - Event (event.go, implement): Set, Clear, IsSet and Wait(ctx) on the close of a
//     channel, the broadcast that stays set, without losing a waiter to a Clear.
//   - Barrier (barrier.go, implement): n goroutines wait for each other, generation
//     after generation, and a fast one never laps a slow one.
//   - Lazy (once.go, implement): a set-up that runs once however many goroutines ask for
//     its result at the same time, with sync.Once or sync.OnceValues.
//
// The rules: edit only the files named above; the tests and the benchmarks stay as they
// are. Run the tests with -race. A test never hangs: a goroutine that never wakes up
// fails it within seconds, and the failure prints where it is stuck.
package coordination
