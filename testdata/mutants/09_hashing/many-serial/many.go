// mutant: hashes the inputs one after another, ignoring workers; caught by TestManyParallel, TestManyBounded
package hashing

// HashAll returns sum(inputs[i]) for each input, in the order of inputs.
func HashAll(inputs [][]byte, workers int, sum func([]byte) [32]byte) [][32]byte {
	digests := make([][32]byte, len(inputs))
	for i, in := range inputs {
		digests[i] = sum(in)
	}
	return digests
}
