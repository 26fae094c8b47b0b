// Package async is the course's lesson on asyncio, translated into Go: coroutines that
// do nothing until they are awaited, create_task, wait_for, gather, and the order in
// which tasks run. Go has no event loop to drive: a goroutine starts at once, and
// select, context and errgroup do the rest.
//
// Every task is an injected func(context.Context) (T, error): the tests hand in fakes
// whose latency is fake time (testing/synctest), so that what runs at once, what is
// cancelled and what is still running when a call returns are exact. You build four
// things:
//
//   - WaitFor (waitfor.go, fix): the seed's asyncio.wait_for, translated word for word,
//     stops waiting when the time is up but lets the work run on, and leaves a goroutine
//     blocked for ever on its send. Make the timeout stop the work itself.
//   - Gather (gather.go, implement): asyncio.gather and TaskGroup. Run every task at once,
//     return the results in the order of the tasks, and let the first error cancel the
//     rest (errgroup.WithContext).
//   - First (first.go, implement): first result wins across replicas; the losers are
//     cancelled and waited for, and none is left blocked on a send nobody receives.
//   - Monitor (monitor.go, fix): a periodic task as a for-select loop, with a ticker, a
//     quit channel, and a nil channel that switches the send off while there is nothing
//     to send, so that a slow receiver never stops the loop and quit is always heard.
//
// The rules: edit only the files named above; the tests and the benchmarks stay as they
// are. Run the tests with -race. A test never hangs: a goroutine that never returns, or
// one that spins, fails it within seconds, and the failure prints where it is stuck.
package async
