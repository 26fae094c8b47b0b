package hashing

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"testing"
)

// benchInputs returns n inputs of 1 MiB each.
func benchInputs(n int) [][]byte {
	inputs := make([][]byte, n)
	for i := range inputs {
		inputs[i] = bytes.Repeat([]byte{byte(i)}, 1<<20)
	}
	return inputs
}

// BenchmarkSum256 is the baseline: sha256.Sum256 of 1 MiB on one goroutine. With SHA-NI
// it runs at about 2 GB/s; every worker below should keep ≥ 90% of that.
func BenchmarkSum256(b *testing.B) {
	data := benchInputs(1)[0]
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		sha256.Sum256(data)
	}
}

// BenchmarkHashAll hashes 16 independent inputs of 1 MiB. Run with -cpu 1,2: on 2 CPUs
// workers=2 should hash ≥ 1.8× the bytes per second of workers=1; on 1 CPU
// (GOMAXPROCS=1, Go's "GIL") it cannot.
func BenchmarkHashAll(b *testing.B) {
	inputs := benchInputs(16)
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(inputs) << 20))
			b.ReportAllocs()
			for b.Loop() {
				HashAll(inputs, workers, sha256.Sum256)
			}
		})
	}
}

// BenchmarkChunkedSum hashes one 64 MiB input in chunks: workers=1 is the serial
// baseline, workers=2 should be ≥ 1.8× faster on 2 CPUs.
func BenchmarkChunkedSum(b *testing.B) {
	data := chunkData(64 << 20)
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				ChunkedSum(data, workers, sha256.Sum256)
			}
		})
	}
}

// seedJob is the seed's workload, b'Bla bla' * 100_000_000.
var seedJob = Repeat{Pattern: []byte("Bla bla"), N: 100_000_000}

// BenchmarkRepeatSum hashes the seed's 700 MB workload once: input=built is Python's way
// (build the bytes, then hash them), input=streamed is Repeat.Sum. Streaming should be
// faster and allocate under 1 MiB per op.
func BenchmarkRepeatSum(b *testing.B) {
	b.Run("input=built", func(b *testing.B) {
		b.SetBytes(int64(len(seedJob.Pattern) * seedJob.N))
		b.ReportAllocs()
		for b.Loop() {
			sha256.Sum256(bytes.Repeat(seedJob.Pattern, seedJob.N))
		}
	})
	b.Run("input=streamed", func(b *testing.B) {
		b.SetBytes(int64(len(seedJob.Pattern) * seedJob.N))
		b.ReportAllocs()
		for b.Loop() {
			seedJob.Sum()
		}
	})
}

// BenchmarkSeed is the seed's program: two workloads of 700 MB. threads=1 runs them one
// after another (what the GIL made of the seed's threads); threads=2 is SumRepeats, one
// goroutine each. On 2 CPUs threads=2 should take ≤ 0.6 s per op, allocating under 1 MiB.
func BenchmarkSeed(b *testing.B) {
	jobs := []Repeat{seedJob, seedJob}
	b.Run("threads=1", func(b *testing.B) {
		b.SetBytes(int64(2 * len(seedJob.Pattern) * seedJob.N))
		b.ReportAllocs()
		for b.Loop() {
			for _, j := range jobs {
				j.Sum()
			}
		}
	})
	b.Run("threads=2", func(b *testing.B) {
		b.SetBytes(int64(2 * len(seedJob.Pattern) * seedJob.N))
		b.ReportAllocs()
		for b.Loop() {
			SumRepeats(jobs, Repeat.Sum)
		}
	})
}
