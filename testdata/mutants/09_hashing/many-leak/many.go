// mutant: counts the results instead of closing the work channel, so the workers wait forever after HashAll returns; caught by TestManyNoLeak
package hashing

import "runtime"

// HashAll returns sum(inputs[i]) for each input, in the order of inputs.
func HashAll(inputs [][]byte, workers int, sum func([]byte) [32]byte) [][32]byte {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	digests := make([][32]byte, len(inputs))
	next := make(chan int, len(inputs))
	done := make(chan struct{})
	for range workers {
		go func() {
			for {
				i := <-next
				digests[i] = sum(inputs[i])
				done <- struct{}{}
			}
		}()
	}
	for i := range inputs {
		next <- i
	}
	for range inputs {
		<-done
	}
	return digests
}
