// mutant: a goroutine per chunk, workers ignored, no bound on the chunks in flight; caught by TestChunkedBounded
package hashing

import (
	"crypto/sha256"
	"sync"
)

// ChunkSize is the size of the chunks that ChunkedSum splits its input into.
const ChunkSize = 256 << 10

// ChunkedSum returns the chunked digest of data.
func ChunkedSum(data []byte, workers int, sum func([]byte) [32]byte) [32]byte {
	chunks := (len(data) + ChunkSize - 1) / ChunkSize
	digests := make([]byte, chunks*sha256.Size)
	var wg sync.WaitGroup
	for i := range chunks {
		wg.Go(func() {
			d := sum(data[i*ChunkSize : min((i+1)*ChunkSize, len(data))])
			copy(digests[i*sha256.Size:], d[:])
		})
	}
	wg.Wait()
	return sha256.Sum256(digests)
}
