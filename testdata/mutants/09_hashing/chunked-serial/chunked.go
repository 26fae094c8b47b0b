// mutant: hashes the chunks one after another, ignoring workers; caught by TestChunkedParallel, TestChunkedBounded
package hashing

import "crypto/sha256"

// ChunkSize is the size of the chunks that ChunkedSum splits its input into.
const ChunkSize = 256 << 10

// ChunkedSum returns the chunked digest of data.
func ChunkedSum(data []byte, workers int, sum func([]byte) [32]byte) [32]byte {
	var digests []byte
	for i := 0; i < len(data); i += ChunkSize {
		d := sum(data[i:min(i+ChunkSize, len(data))])
		digests = append(digests, d[:]...)
	}
	return sha256.Sum256(digests)
}
