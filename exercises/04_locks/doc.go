// Package locks translates the Python course's lesson on threading.Lock and RLock into
// Go: what acquire(blocking=False), acquire(timeout=), `with lock:`, RLock and release
// of an unlocked lock become.
//
// You build four things:
//
//   - ChanLock (chanlock.go, implement): a lock built on a channel, with the TryLock of
//     acquire(blocking=False), the LockContext of acquire(timeout=) (the deadline comes in
//     a context.Context), and an Unlock of an unlocked lock that panics with
//     ErrNotLocked, as Python raises RuntimeError.
//   - Inventory (inventory.go, fix): the seed's RLock lesson. Take holds the lock and
//     calls Stock, which takes it again: fine with an RLock, a self-deadlock with a Go
//     mutex. Split each method into an exported one that locks and an unexported
//     ...Locked helper that assumes the lock is held.
//   - Seats (seats.go, fix): Book and Cancel return early on their error paths and
//     forget to unlock there. Make every return path unlock, the way `with lock:` does:
//     defer the Unlock right after the Lock.
//   - Cache (cache.go, fix): a read-mostly table behind one sync.Mutex, so that readers
//     wait for each other. Put it behind a sync.RWMutex: readers share the lock, and a
//     writer that waits for it is not starved by readers that keep arriving.
//
// The rules: edit only the files named above; the tests and the benchmarks stay as they
// are. Run the tests with -race. A test never hangs: a goroutine stuck on a lock fails
// it within seconds, and the failure prints where it is stuck.
package locks
