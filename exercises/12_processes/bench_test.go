package processes

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
)

// benchWorker returns the command line of this test binary re-executed as a worker of
// the given kind (see work), without records.
func benchWorker(b *testing.B, kind string) []string {
	exe, err := os.Executable()
	if err != nil {
		b.Fatalf("os.Executable() = %v", err)
	}
	b.Setenv(workerEnv, "1")
	b.Setenv(recordsEnv, "")
	return []string{exe, "-test.run=^$", kind}
}

// BenchmarkStart is the price of a unit of concurrency: impl=goroutine starts a goroutine
// that does nothing and waits for it (sync.WaitGroup), impl=process starts this test
// binary as a worker that exits right away and waits for it (exec.Cmd.Run). Python pays the
// second price for a multiprocessing.Process, and more: the child imports the modules.
func BenchmarkStart(b *testing.B) {
	b.Run("impl=goroutine", func(b *testing.B) {
		for b.Loop() {
			var wg sync.WaitGroup
			wg.Go(func() {})
			wg.Wait()
		}
	})
	b.Run("impl=process", func(b *testing.B) {
		argv := benchWorker(b, "exit")
		for b.Loop() {
			if err := exec.Command(argv[0], argv[1:]...).Run(); err != nil {
				b.Fatalf("running %s: %v", show(argv), err)
			}
		}
	})
}

// hashGoroutines is HashProcs with goroutines: part i hashed by goroutine i, in the
// same memory, with nothing to copy.
func hashGoroutines(data []byte, n int) [][32]byte {
	parts := Parts(data, n)
	sums := make([][32]byte, n)
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() { sums[i] = sha256.Sum256(p) })
	}
	wg.Wait()
	return sums
}

// benchBytes is the size of the buffer BenchmarkHash hashes.
const benchBytes = 32 << 20

// BenchmarkHash hashes 32 MiB split into n parts: impl=goroutines with n goroutines,
// impl=processes with HashProcs and n worker processes, which start, receive their part
// through a pipe and send back 32 bytes. n=1 is the serial baseline of each. Run with
// -cpu 2: 2 goroutines hash about twice the bytes per second of 1; 2 processes gain less,
// because of what each costs to start and to feed.
func BenchmarkHash(b *testing.B) {
	data := hashData(benchBytes)
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("impl=goroutines/n=%d", n), func(b *testing.B) {
			b.SetBytes(benchBytes)
			for b.Loop() {
				hashGoroutines(data, n)
			}
		})
	}
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("impl=processes/n=%d", n), func(b *testing.B) {
			argv := benchWorker(b, "hash")
			b.SetBytes(benchBytes)
			for b.Loop() {
				if _, err := HashProcs(argv, data, n); err != nil {
					b.Fatalf("HashProcs(%s, %d bytes, %d) = %v", show(argv), benchBytes, n, err)
				}
			}
		})
	}
}
