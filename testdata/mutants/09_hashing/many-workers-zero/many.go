// mutant: workers of zero or less starts no worker at all instead of GOMAXPROCS(0); caught by TestManyWorkerCounts
package hashing

import "sync"

// HashAll returns sum(inputs[i]) for each input, in the order of inputs.
func HashAll(inputs [][]byte, workers int, sum func([]byte) [32]byte) [][32]byte {
	digests := make([][32]byte, len(inputs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(inputs)) {
		wg.Go(func() {
			for i := range next {
				digests[i] = sum(inputs[i])
			}
		})
	}
	for i := range inputs {
		next <- i
	}
	close(next)
	wg.Wait()
	return digests
}
