package processes

// Parts splits data into n contiguous parts of nearly equal size: part i is
// data[i*len(data)/n : (i+1)*len(data)/n].
func Parts(data []byte, n int) [][]byte {
	parts := make([][]byte, n)
	for i := range parts {
		parts[i] = data[i*len(data)/n : (i+1)*len(data)/n]
	}
	return parts
}

// HashProcs hashes the n parts of data (as [Parts] splits it) in n worker processes, all
// running at the same time: worker i is the program argv, which reads part i from its stdin and
// writes the 32 bytes of its SHA-256 digest to its stdout. HashProcs returns the digests
// in part order.
//
// If a worker fails (an exit status other than 0, or not 32 bytes of output), HashProcs
// returns an error that names it, and no digests. Whatever happens, it returns only
// after every worker has exited and been waited for. It panics if n is less than 1.
func HashProcs(argv []string, data []byte, n int) ([][32]byte, error) {
	if n < 1 {
		panic("processes: HashProcs n must be at least 1")
	}
	// TODO: start the n workers, each with its part on its stdin and a buffer for its
	// stdout, before waiting for any of them.

	// TODO: wait for every worker started, even after one has failed, and collect the
	// errors.

	// TODO: return the digests in part order, or the errors.
	return nil, nil
}
