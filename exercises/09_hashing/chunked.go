package hashing

// ChunkSize is the size of the chunks that ChunkedSum splits its input into.
const ChunkSize = 256 << 10

// ChunkedSum returns the chunked digest of data, defined as follows. data is split into
// chunks of ChunkSize bytes, in order; the last chunk may be shorter, and empty data has
// no chunks. Each chunk is hashed with sum. The digest is the SHA-256 of the chunks'
// digests concatenated in chunk order. So the digest of empty data is the SHA-256 of
// nothing (e3b0c442...), and the digest of data of up to ChunkSize bytes is
// sha256(sha256(data)), not sha256(data). It depends on data only: never on workers, nor
// on the order in which the chunks finish.
//
// At most workers calls of sum are in flight at the same time; a workers of zero or less means
// runtime.GOMAXPROCS(0). ChunkedSum returns when every goroutine it started has
// finished. In a program sum is sha256.Sum256 (the tests wrap it); it must be safe to
// call from several goroutines at the same time.
func ChunkedSum(data []byte, workers int, sum func([]byte) [32]byte) [32]byte {
	// TODO: hash the chunks with sum on at most workers goroutines at the same time, then return
	// the SHA-256 of their digests in chunk order.
	return [32]byte{}
}
