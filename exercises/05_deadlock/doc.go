// Package deadlock is the lock-order deadlock of the course's fifteenth lesson: two
// threads that take two locks in opposite order, each holding one and waiting forever
// for the other. Here the locks belong to bank accounts and the threads are transfers.
//
// You build three things:
//
//   - Transfer (transfer.go, fix): the naive translation of the seed locks the two
//     accounts in argument order, so Transfer(a, b) and Transfer(b, a) at the same time
//     can deadlock, and it checks the funds before it holds the locks. Lock them in one
//     global order, by the accounts' stable IDs, check the funds under both locks, and turn
//     Transfer(a, a) into an error instead of a self-deadlock.
//   - TryTransfer (trytransfer.go, implement): the same transfer without ever blocking on
//     a lock: TryLock both, and when either is taken let go of everything, back off for a
//     growing, jittered while and try again, until the context is done.
//   - Dine (dine.go, implement): the dining philosophers. n philosophers share n forks
//     (mutexes); every one eats its meals, neighbours never eat at the same time, and no ordering
//     of events can leave all of them holding one fork and waiting for the next.
//
// The rules: edit only the files named above; the tests and the benchmarks stay as they
// are. Run the tests with -race. A test never hangs: a deadlock fails it after a few
// seconds and prints the goroutines that are stuck and where.
package deadlock
