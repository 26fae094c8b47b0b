// Package executors is the course's lesson on concurrent.futures, ThreadPoolExecutor
// and its futures, translated into Go.
//
// You build five things:
//
//   - Future and Go (future.go, implement): the result of a task running in another
//     goroutine, with Result(ctx) in place of result(timeout=) and Done() for a select;
//     Go runs one task in a goroutine of its own.
//   - Pool (pool.go, implement): ThreadPoolExecutor(max_workers, initializer): at most
//     maxWorkers tasks at once, each worker's state built once by the initializer, and
//     Submit that never waits.
//   - Shutdown (pool.go, implement): shutdown(wait, cancel_futures): work already started
//     finishes, pending work runs or is cancelled, and no future is left unresolved.
//   - call (panics.go, fix): a task that panics fails its own future with a *PanicError
//     instead of killing the program.
//   - Map (errgroup.go, fix): list(executor.map(f, items)) with errgroup and SetLimit,
//     results in input order, the first error cancelling the rest.
//
// The rules: edit only the files named above; the tests and the benchmarks stay as they
// are. Run the tests with -race. A test never hangs: a goroutine that never wakes up
// fails it within seconds, and the failure prints where it is stuck.
package executors
