// mutant: splits the data into one part per worker instead of chunks of ChunkSize, so the digest depends on workers; caught by TestChunkedGolden, TestChunkedOrder
package hashing

import (
	"crypto/sha256"
	"runtime"
	"sync"
)

// ChunkSize is the size of the chunks that ChunkedSum splits its input into.
const ChunkSize = 256 << 10

// ChunkedSum returns the chunked digest of data.
func ChunkedSum(data []byte, workers int, sum func([]byte) [32]byte) [32]byte {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	size := max(1, (len(data)+workers-1)/workers)
	chunks := (len(data) + size - 1) / size
	digests := make([]byte, chunks*sha256.Size)
	var wg sync.WaitGroup
	for i := range chunks {
		wg.Go(func() {
			d := sum(data[i*size : min((i+1)*size, len(data))])
			copy(digests[i*sha256.Size:], d[:])
		})
	}
	wg.Wait()
	return sha256.Sum256(digests)
}
