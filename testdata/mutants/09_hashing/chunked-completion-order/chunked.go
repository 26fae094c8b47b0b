// mutant: chunk digests collected from a channel in the order the chunks finish; caught by TestChunkedOrder
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
	chunks := (len(data) + ChunkSize - 1) / ChunkSize
	next := make(chan int)
	done := make(chan [32]byte, chunks)
	var wg sync.WaitGroup
	for range min(workers, chunks) {
		wg.Go(func() {
			for i := range next {
				done <- sum(data[i*ChunkSize : min((i+1)*ChunkSize, len(data))])
			}
		})
	}
	for i := range chunks {
		next <- i
	}
	close(next)
	wg.Wait()
	close(done)
	h := sha256.New()
	for d := range done {
		h.Write(d[:])
	}
	return [32]byte(h.Sum(nil))
}
