package hashing

import (
	"bytes"
	"crypto/sha256"
	"fmt"
)

// HashAll returns the digests in the order of the inputs, whichever worker finished first.
func ExampleHashAll() {
	inputs := [][]byte{[]byte("Bla bla"), []byte(""), []byte("bla")}
	for i, d := range HashAll(inputs, 2, sha256.Sum256) {
		fmt.Printf("%q %x...\n", inputs[i], d[:4])
	}
	// Output:
	// "Bla bla" 5428aa0d...
	// "" e3b0c442...
	// "bla" 4df3c3f6...
}

// The chunked digest is defined on the data alone: it is not sha256(data), and the
// number of workers does not change it.
func ExampleChunkedSum() {
	small := []byte("Bla bla") // one chunk
	inner := sha256.Sum256(small)
	fmt.Println(ChunkedSum(small, 4, sha256.Sum256) == sha256.Sum256(inner[:]))
	fmt.Println(ChunkedSum(nil, 4, sha256.Sum256) == sha256.Sum256(nil))

	big := bytes.Repeat([]byte("Bla bla"), 100_000) // 700 kB: three chunks
	fmt.Println(ChunkedSum(big, 1, sha256.Sum256) == ChunkedSum(big, 3, sha256.Sum256))
	// Output:
	// true
	// true
	// true
}
