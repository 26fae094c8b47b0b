// mutant: every worker writes its chunk digest into one shared hash.Hash, unlocked and in completion order; caught by TestChunkedOrder
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
	h := sha256.New()
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, chunks) {
		wg.Go(func() {
			for i := range next {
				d := sum(data[i*ChunkSize : min((i+1)*ChunkSize, len(data))])
				h.Write(d[:])
			}
		})
	}
	for i := range chunks {
		next <- i
	}
	close(next)
	wg.Wait()
	return [32]byte(h.Sum(nil))
}
