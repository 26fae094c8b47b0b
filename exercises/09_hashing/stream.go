package hashing

import (
	"bytes"
	"crypto/sha256"
)

// A Repeat is one workload of the seed: Pattern repeated N times. Python's
// b'Bla bla' * 100_000_000 is Repeat{Pattern: []byte("Bla bla"), N: 100_000_000}, 700 MB.
type Repeat struct {
	Pattern []byte
	N       int
}

// Sum returns the SHA-256 digest of r.Pattern repeated r.N times, the same digest as
// sha256.Sum256(bytes.Repeat(r.Pattern, r.N)), without building that input: it streams
// the copies through a small buffer and allocates under 1 MiB whatever r.N is. An N of
// zero or less hashes the empty input. Sum may be called from several goroutines at the same time.
func (r Repeat) Sum() [32]byte {
	// TODO: stream the copies through a small buffer into a hash.Hash (sha256.New) instead
	// of building the input: for the seed's workload this allocates and copies 700 MB
	// before hashing a single byte, as Python's b'Bla bla' * 100_000_000 does.
	return sha256.Sum256(bytes.Repeat(r.Pattern, max(r.N, 0)))
}

// SumRepeats returns sum(job) for each of jobs, in the order of jobs. It calls sum for
// all the jobs at the same time, each in a goroutine of its own, as the seed started one thread
// per workload, and returns when every call has returned. In a program sum is
// Repeat.Sum (the tests wrap it); it must be safe to call from several goroutines at the same time.
func SumRepeats(jobs []Repeat, sum func(Repeat) [32]byte) [][32]byte {
	digests := make([][32]byte, len(jobs))
	// TODO: call sum for each job in a goroutine of its own and wait for them all. The
	// seed's threads took turns under the GIL; this loop takes turns too.
	for i, job := range jobs {
		digests[i] = sum(job)
	}
	return digests
}
