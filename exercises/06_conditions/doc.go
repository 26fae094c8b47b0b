// Package conditions is the producer/consumer of the course's lesson on
// threading.Condition: producers put items into a bounded buffer, consumers take them
// out, and each side waits, without busy waiting, while the buffer is full or empty.
//
// You build three things:
//
//   - Buffer (buffer.go, fix): the naive translation of the seed polls the buffer's
//     length under a mutex and sleeps between tries ("espera ocupada"). Make Put and Get
//     wait on a sync.Cond in a for loop, and wake exactly the goroutines that can go on.
//   - Close (close.go and buffer.go, implement): Close ends the stream. Every Put and Get
//     waiting on the buffer wakes up (Broadcast), Put fails with ErrClosed from then on,
//     and Get hands out the items still buffered before it reports ok == false.
//   - ChanBuffer (chanbuffer.go, implement): the same contract on channels, where Go
//     does the waiting for you, but a send on a closed channel panics.
//
// The rules: edit only the files named above; the tests and the benchmarks stay as they
// are. Run the tests with -race. A test never hangs: a goroutine that never wakes up, or
// one that spins, fails it within seconds and the failure prints where it is stuck.
package conditions
