// Package hashing is the seed's sha256(b'Bla bla' * 100_000_000) in threads, done in Go:
// CPU-bound hashing spread over goroutines that really run at the same time. (The seed
// writes 'Bla bla', a str, which sha256 rejects with a TypeError; bytes are meant.)
//
// You build three things, one file each:
//
//   - stream.go (fix): Repeat.Sum hashes the seed's 700 MB workload in constant memory,
//     and SumRepeats runs several workloads at the same time, as the seed's threads meant to.
//   - many.go (implement): HashAll hashes many inputs with a bounded number of workers
//     and returns the digests in input order.
//   - chunked.go (implement): ChunkedSum hashes one large input in chunks on several
//     workers; its digest depends on the data only, never on the number of workers or
//     on which chunk finished first.
//
// The rules: change only the files above, never a _test.go file. The functions take the
// hash function they must call (sum) so that the tests can watch the calls: call it for
// each input, chunk or workload, from as many goroutines at the same time as the doc comment
// allows. Every goroutine you start must have finished when your function returns. Run
// the tests with -race: go test -race ./exercises/09_hashing
package hashing
