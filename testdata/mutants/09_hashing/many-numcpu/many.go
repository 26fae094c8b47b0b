// mutant: workers of zero or less starts runtime.NumCPU() workers, the machine's CPUs, instead of runtime.GOMAXPROCS(0), the threads that may run Go code; caught by TestManyWorkerCounts

package hashing

import (
	"runtime"
	"sync"
)

// HashAll returns sum(inputs[i]) for each input, in the order of inputs, with at most
// workers calls of sum in flight at once. A workers of zero or less means
// runtime.GOMAXPROCS(0) workers: one per thread that can run Go code at the same time.
// HashAll returns when every goroutine it started has finished. In a program sum is
// sha256.Sum256 (the tests wrap it); it must be safe to call from several goroutines at once.
func HashAll(inputs [][]byte, workers int, sum func([]byte) [32]byte) [][32]byte {
	if workers < 1 {
		workers = runtime.NumCPU()
	}
	digests := make([][32]byte, len(inputs))
	next := make(chan int)
	var wg sync.WaitGroup
	// A fixed set of workers bounds the calls in flight, however many inputs there are.
	for range min(workers, len(inputs)) {
		wg.Go(func() {
			for i := range next {
				digests[i] = sum(inputs[i]) // slot i, whenever it finishes: results stay in input order
			}
		})
	}
	for i := range inputs {
		next <- i
	}
	close(next) // ends the workers' loops
	wg.Wait()
	return digests
}
