package hashing

import (
	"crypto/sha256"
	"runtime"
	"sync"
	"sync/atomic"
)

// ChunkSize is the size of the chunks that ChunkedSum splits its input into.
const ChunkSize = 256 << 10

// ChunkedSum returns the chunked digest of data, defined as follows. data is split into
// chunks of ChunkSize bytes, in order; the last chunk may be shorter, and empty data has
// no chunks. Each chunk is hashed with sum. The digest is the SHA-256 of the chunks'
// digests concatenated in chunk order. So the digest of empty data is the SHA-256 of
// nothing (e3b0c442...), and the digest of data of up to ChunkSize bytes is
// sha256(sha256(data)), not sha256(data). It depends on data only: never on workers, nor
// on the order in which the chunks finish.
//
// At most workers calls of sum are in flight at the same time; a workers of zero or less means
// runtime.GOMAXPROCS(0). ChunkedSum returns when every goroutine it started has
// finished. In a program sum is sha256.Sum256 (the tests wrap it); it must be safe to
// call from several goroutines at the same time.
func ChunkedSum(data []byte, workers int, sum func([]byte) [32]byte) [32]byte {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (len(data) + ChunkSize - 1) / ChunkSize
	digests := make([]byte, chunks*sha256.Size)
	var next atomic.Int64 // the next chunk to claim: no goroutine hands chunks out
	var wg sync.WaitGroup
	// Chunks of a fixed size, hashed by a fixed set of workers: the split never depends on workers.
	for range min(workers, chunks) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < chunks; i = int(next.Add(1) - 1) {
				d := sum(data[i*ChunkSize : min((i+1)*ChunkSize, len(data))])
				copy(digests[i*sha256.Size:], d[:]) // chunk i's slot, whenever it finishes
			}
		})
	}
	wg.Wait()
	return sha256.Sum256(digests)
}
