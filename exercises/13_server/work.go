package server

import (
	"bytes"
	"crypto/sha256"
)

// blaBla is the seed's pattern, hashed by BlaBla.
var blaBla = []byte("Bla bla")

// blaBlaBlock is the pattern repeated 4096 times, so that BlaBla feeds the hash in
// large writes.
var blaBlaBlock = bytes.Repeat(blaBla, 4096)

// BlaBla returns the SHA-256 digest of "Bla bla" repeated n times: the seed's
// sha256(b'Bla bla' * n), streamed, without building the n*7 bytes in memory. It is the
// CPU-bound work of the /hash endpoint; it may be called from any number of goroutines.
func BlaBla(n int) [32]byte {
	h := sha256.New()
	for ; n >= 4096; n -= 4096 {
		h.Write(blaBlaBlock)
	}
	h.Write(blaBlaBlock[:n*len(blaBla)])
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}
