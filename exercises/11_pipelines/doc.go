// Package pipelines is the course's lesson on multiprocessing's ways for processes to
// talk, Queue, Pipe, Value/Array and Manager, translated into Go, where goroutines share
// one memory and channels are the queues.
//
// You build four things:
//
//   - Run (pipeline.go, implement): a three-stage pipeline on channels. One goroutine
//     reads the source, Workers goroutines transform the items (fan-out), and the
//     results come out of one channel (fan-in), in input order when asked. Cancelling
//     ctx stops every stage, even when nobody reads the output any more.
//   - Exchange (pipe.go, fix): requests and replies over a duplex net.Pipe, Python's
//     Pipe(duplex=True). The translation of the seed sends every request before it reads
//     a reply, and net.Pipe has no buffer: both ends end up writing and nobody reads.
//   - Shared (shared.go, fix): counters and a configuration shared by every goroutine,
//     Python's Array and Value, made safe with atomic.Int64 and a copy-on-write
//     atomic.Pointer instead of fields written in place.
//   - Manager (manager.go, implement): a map owned by one goroutine that serves
//     requests over a channel, Python's Manager().dict(); no other goroutine touches it.
//
// The rules: edit only the files named above; the tests and the benchmarks stay as they
// are. Run the tests with -race. A test never hangs: a stage that blocks for ever, or a
// goroutine left behind, fails it within seconds, and the failure prints where it is
// stuck.
package pipelines
