package hashing

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"time"
)

// HashAll returns the digests in the order of the inputs, whichever worker finished first.
func ExampleHashAll() {
	inputs := [][]byte{[]byte("Bla bla"), []byte(""), []byte("bla")}
	var digests [][32]byte
	if !returns("HashAll", func() { digests = HashAll(inputs, 2, sha256.Sum256) }) {
		return
	}
	for i, d := range digests {
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
	big := bytes.Repeat([]byte("Bla bla"), 100_000) // 700 kB: three chunks
	var oneChunk, noChunk, anyWorkers bool
	if !returns("ChunkedSum", func() {
		oneChunk = ChunkedSum(small, 4, sha256.Sum256) == sha256.Sum256(inner[:])
		noChunk = ChunkedSum(nil, 4, sha256.Sum256) == sha256.Sum256(nil)
		anyWorkers = ChunkedSum(big, 1, sha256.Sum256) == ChunkedSum(big, 3, sha256.Sum256)
	}) {
		return
	}
	fmt.Println(oneChunk)
	fmt.Println(noChunk)
	fmt.Println(anyWorkers)
	// Output:
	// true
	// true
	// true
}

// exampleLimit is the real time an example waits for a call. Examples run outside the
// tests' guard: a call that never returns must fail its example, not hang the run.
const exampleLimit = 5 * time.Second

// returns calls f and reports whether it returned within exampleLimit. If it did not, it
// prints a line saying so, which fails the example's // Output: check, and leaves f
// running.
func returns(what string, f func()) bool {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return true
	case <-time.After(exampleLimit):
		fmt.Printf("%s did not return within %v: it is stuck (the exercise's tests show where)\n", what, exampleLimit)
		return false
	}
}
