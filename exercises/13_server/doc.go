// Package server is the course's "endpoint that receives many requests" lesson: an HTTP
// server on loopback whose handlers wait on I/O or burn CPU, and what Go does with many of
// them at once. The seed asks whether such an endpoint needs concurrency or parallelism;
// net/http gives it both, one goroutine per connection on every core, and leaves the
// limits to you.
//
// You build four things:
//
//   - Handler (handler.go, fix): the /io and /hash endpoints and their counters. The
//     starting code takes one lock for the whole request, so the server answers one
//     client at a time, like Python's http.server.HTTPServer; guard only the counters.
//   - Bound (bound.go, implement): at most n CPU-bound requests run at once, a few more
//     wait for a slot, and the rest are refused at once with 503 and Retry-After.
//   - Serve (serve.go, implement): serve until a context is cancelled, then shut down
//     gracefully with http.Server.Shutdown: refuse new connections, let the requests in
//     flight finish within a grace period, and leave no goroutine behind.
//   - Limiter (ratelimit.go, implement): a token bucket per client, on an injected clock,
//     that answers 429 with Retry-After once a client has used its burst.
//
// The rules: edit only the files named above; the tests and the benchmarks stay as they
// are. Run the tests with -race. The tests talk to real servers on 127.0.0.1 and hold
// your handlers' work behind gates they open themselves, so a test never hangs: a request
// that never arrives or never ends fails it within seconds, with the reason.
package server
