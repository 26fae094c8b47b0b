// Package processes is the course's lesson on multiprocessing.Process, translated into
// Go: child processes started with os/exec, fed on their stdin and read on their stdout,
// stopped when a context is cancelled, and set against goroutines for CPU-bound work.
//
// You build three things:
//
//   - Stream (stream.go, implement): one worker process fed jobs on its stdin while its
//     results are read from its stdout, as they come, never after Wait.
//   - Run (terminate.go, implement): a worker run to its end, or terminated when ctx is
//     done: first asked with an interrupt, as Python's terminate() does, then killed after
//     a grace period (on Windows, which cannot send the interrupt, killed right away), and
//     always waited for.
//   - HashProcs (hash.go, implement): the parts of a buffer hashed in n worker processes
//     at the same time, every worker waited for even when one fails.
//
// A worker is a program given by its command line, argv (the path first, then the
// arguments), so that the tests can pass their own test binary, re-executed as a worker:
// TestMain sees an environment variable and runs the worker instead of the tests.
//
// The rules: edit only the files named above; the tests and the benchmarks stay as they
// are. Run the tests with -race. A test never hangs: a worker that is never stopped, or a
// pipe that fills up, fails it within seconds, and the failure names the worker processes
// still running and what state they are in.
package processes
