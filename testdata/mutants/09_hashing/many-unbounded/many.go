// mutant: a goroutine per input, workers ignored, no bound on the calls in flight; caught by TestManyBounded, TestManyWorkerCounts
package hashing

import "sync"

// HashAll returns sum(inputs[i]) for each input, in the order of inputs.
func HashAll(inputs [][]byte, workers int, sum func([]byte) [32]byte) [][32]byte {
	digests := make([][32]byte, len(inputs))
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Go(func() { digests[i] = sum(in) })
	}
	wg.Wait()
	return digests
}
