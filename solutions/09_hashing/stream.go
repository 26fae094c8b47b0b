package hashing

import (
	"bytes"
	"crypto/sha256"
	"sync"
)

// A Repeat is one workload of the seed: Pattern repeated N times. Python's
// b'Bla bla' * 100_000_000 is Repeat{Pattern: []byte("Bla bla"), N: 100_000_000}, 700 MB.
type Repeat struct {
	Pattern []byte
	N       int
}

// bufSize is the size of the buffer that Repeat.Sum fills with whole copies of the pattern.
const bufSize = 64 << 10

// Sum returns the SHA-256 digest of r.Pattern repeated r.N times, the same digest as
// sha256.Sum256(bytes.Repeat(r.Pattern, r.N)), without building that input: it streams
// the copies through a small buffer and allocates under 1 MiB whatever r.N is. An N of
// zero or less hashes the empty input. Sum may be called from several goroutines at the same time.
func (r Repeat) Sum() [32]byte {
	h := sha256.New()
	var digest [32]byte
	if len(r.Pattern) == 0 || r.N <= 0 {
		return [32]byte(h.Sum(digest[:0]))
	}
	// Stream through a buffer of whole copies: the hasher needs the bytes in order, not in one piece.
	per := max(1, bufSize/len(r.Pattern)) // copies of the pattern per Write
	buf := r.Pattern
	if per > 1 {
		buf = bytes.Repeat(r.Pattern, min(per, r.N))
	}
	for n := r.N; n > 0; n -= per {
		h.Write(buf[:min(n, per)*len(r.Pattern)])
	}
	return [32]byte(h.Sum(digest[:0]))
}

// SumRepeats returns sum(job) for each of jobs, in the order of jobs. It calls sum for
// all the jobs at the same time, each in a goroutine of its own, as the seed started one thread
// per workload, and returns when every call has returned. In a program sum is
// Repeat.Sum (the tests wrap it); it must be safe to call from several goroutines at the same time.
func SumRepeats(jobs []Repeat, sum func(Repeat) [32]byte) [][32]byte {
	digests := make([][32]byte, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		// One goroutine per workload, each writing only its own element: no lock needed.
		wg.Go(func() { digests[i] = sum(job) })
	}
	wg.Wait()
	return digests
}
