// Package iobound fetches documents the way the course's first lesson loads images: the
// serial program waits for each one before asking for the next, and the CPU idles the
// whole time. Waiting is not working: start the waits at once and they overlap.
//
// Every function fetches through an injected [Fetcher], which takes a context: the tests
// hand it fakes whose latency is fake time (testing/synctest), so that concurrency, the
// fetches in flight, the rate and the cancellations are exact; one test and the
// benchmarks fetch over HTTP from a loopback server. You build four things:
//
//   - FetchEach (each.go, fix): the seed's loop fetches one document after another.
//     Fetch them all at once, give each fetch its own timeout inside the caller's deadline,
//     and report every document's outcome, failures included.
//   - FetchAll (all.go, implement): all or nothing. The first failed fetch cancels the
//     others; FetchAll waits for them and returns that error, and leaves nothing running.
//   - FetchBounded (bounded.go, implement): the same, with at most n fetches in flight (a
//     channel semaphore, or errgroup.SetLimit).
//   - FetchPolite (polite.go, implement): a polite client, which starts at most r fetches a
//     second, spaced at least 1/r apart (a time.Ticker, or a rate.Limiter).
//
// The rules: edit only the files named above; the tests and the benchmarks stay as they
// are. Fetcher, FetchSerial and HTTPFetcher (fetch.go) are given. Run the tests with -race.
// A test never hangs: a goroutine that never returns fails it within seconds, with its stack.
package iobound
