// mutant: digests appended in the order the workers finish, not in input order; caught by TestManyDigests
package hashing

import (
	"runtime"
	"sync"
)

// HashAll returns sum(inputs[i]) for each input, in the order of inputs.
func HashAll(inputs [][]byte, workers int, sum func([]byte) [32]byte) [][32]byte {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	next := make(chan []byte)
	done := make(chan [32]byte, len(inputs))
	var wg sync.WaitGroup
	for range min(workers, len(inputs)) {
		wg.Go(func() {
			for in := range next {
				done <- sum(in)
			}
		})
	}
	for _, in := range inputs {
		next <- in
	}
	close(next)
	wg.Wait()
	close(done)
	var digests [][32]byte
	for d := range done {
		digests = append(digests, d)
	}
	return digests
}
