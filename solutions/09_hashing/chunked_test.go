package hashing

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/go-concurrency-workbook/workbook/internal/rendezvous"
	"github.com/stretchr/testify/require"
)

// chunkData returns the chunked tests' input of size bytes: byte i is i % 251. 251 is
// prime, so no two of the first 251 chunks hold the same bytes, and a digest combined in
// the wrong order differs. testdata/09_hashing/gen.go builds the same bytes.
func chunkData(size int) []byte {
	cycle := make([]byte, 251)
	for i := range cycle {
		cycle[i] = byte(i)
	}
	return bytes.Repeat(cycle, size/251+1)[:size]
}

// chunkGoldens loads the golden digests, checking that they were made for ChunkSize.
func chunkGoldens(t *testing.T) goldens {
	t.Helper()
	g := loadGoldens(t)
	require.Equal(t, g.ChunkSize, ChunkSize,
		"ChunkSize changed: the chunked digest is defined with chunks of %d bytes "+
			"(testdata/09_hashing/golden.json)", g.ChunkSize)
	return g
}

// TestChunkedGolden checks ChunkedSum against the golden digests for inputs around the
// chunk size, with every worker count from 1 to 8 (and the documented 0 and -1): all
// must give the golden digest.
func TestChunkedGolden(t *testing.T) {
	g := chunkGoldens(t)
	workers := []int{1, 2, 3, 4, 5, 6, 7, 8, 0, -1}
	for _, c := range g.Chunked {
		t.Run(c.Name, func(t *testing.T) {
			data := chunkData(c.Size)
			chunks := (c.Size + ChunkSize - 1) / ChunkSize
			guard.Bubble(t, guard.Limit, fmt.Sprintf("ChunkedSum(%d bytes)", c.Size), func(t *testing.T) {
				got := make(map[int]string, len(workers))
				var report []string
				for _, w := range workers {
					got[w] = hexOf(ChunkedSum(data, w, sha256.Sum256))
					report = append(report, fmt.Sprintf("workers=%d: %s", w, got[w]))
				}
				var wrong []string
				for _, w := range workers {
					if got[w] != c.Digest {
						wrong = append(wrong, fmt.Sprint(w))
					}
				}
				switch {
				case len(wrong) == 0:
				case len(wrong) == len(workers) && got[1] == got[8]:
					t.Errorf("ChunkedSum(%d bytes, %d chunks) = %s for every worker count, want %s: "+
						"check the definition: chunks of ChunkSize bytes, each hashed with sum, then "+
						"SHA-256 of their digests concatenated in chunk order", c.Size, chunks, got[1], c.Digest)
				default:
					t.Errorf("ChunkedSum(%d bytes, %d chunks) is wrong for workers=%s, want %s for all: "+
						"the digest depends on the number of workers (or on scheduling); split at "+
						"ChunkSize, never by the number of workers, and combine in chunk order:\n%s",
						c.Size, chunks, strings.Join(wrong, ","), c.Digest, strings.Join(report, "\n"))
				}
			})
		})
	}
}

// TestChunkedParallel proves that ChunkedSum with 2 workers hashes 2 chunks at once:
// each sum call waits at a rendezvous for a second one.
func TestChunkedParallel(t *testing.T) {
	g := chunkGoldens(t)
	size, want := g.chunked(t, "three_chunks")
	data := chunkData(size)
	guard.Bubble(t, guard.Limit, "ChunkedSum(3 chunks, workers=2)", func(t *testing.T) {
		p := rendezvous.New(2, time.Second)
		got := ChunkedSum(data, 2, func(b []byte) [32]byte {
			defer p.Arrive()()
			return sha256.Sum256(b)
		})
		if hexOf(got) != want {
			t.Errorf("ChunkedSum(3 chunks, workers=2) = %s, want %s", hexOf(got), want)
		}
		if !p.Met() {
			t.Errorf("ChunkedSum(3 chunks, workers=2): only %d of 2 sum calls were ever in flight "+
				"at once: the chunks were hashed one after another", p.Peak())
		}
	})
}

// TestChunkedBounded checks that ChunkedSum never has more than workers chunks in
// flight, and that it does reach workers.
func TestChunkedBounded(t *testing.T) {
	g := chunkGoldens(t)
	size, want := g.chunked(t, "twelve_chunks")
	data := chunkData(size)
	guard.Bubble(t, guard.Limit, "ChunkedSum(12 chunks, workers=3)", func(t *testing.T) {
		p := rendezvous.New(3, time.Second)
		got := ChunkedSum(data, 3, holding(p))
		if hexOf(got) != want {
			t.Errorf("ChunkedSum(12 chunks, workers=3) = %s, want %s", hexOf(got), want)
		}
		switch peak := p.Peak(); {
		case peak > 3:
			t.Errorf("ChunkedSum(12 chunks, workers=3) had %d sum calls in flight at once, want at "+
				"most 3: it started a goroutine per chunk without a bound; start 3 workers, or bound "+
				"the goroutines (errgroup's SetLimit(3), a semaphore of 3)", peak)
		case peak < 3:
			t.Errorf("ChunkedSum(12 chunks, workers=3): only %d of 3 sum calls were ever in "+
				"flight at once: fewer goroutines than workers hashed chunks at the same time (or "+
				"they ran one after another)", peak)
		}
	})
}

// TestChunkedOrder makes the later chunks finish first: the sum call on chunk i sleeps
// longer (fake time) the smaller i is. The digest must not change. The sleeps are powers
// of two, so the chunks finish one at a time and a shared hasher gets a wrong digest
// instead of a corrupted one.
func TestChunkedOrder(t *testing.T) {
	g := chunkGoldens(t)
	size, want := g.chunked(t, "six_chunks")
	data := chunkData(size)
	chunks := (size + ChunkSize - 1) / ChunkSize
	index := make(map[[32]byte]int, chunks) // chunk digest -> chunk number; only read below
	for i := range chunks {
		index[sha256.Sum256(data[i*ChunkSize:min((i+1)*ChunkSize, size)])] = i
	}
	for _, workers := range []int{2, chunks} {
		what := fmt.Sprintf("ChunkedSum(%d chunks, workers=%d)", chunks, workers)
		guard.Bubble(t, guard.Limit, what, func(t *testing.T) {
			got := ChunkedSum(data, workers, func(b []byte) [32]byte {
				d := sha256.Sum256(b)
				if i, ok := index[d]; ok {
					// Chunk 0 is the slowest. Powers of two: no two workers ever finish at the same instant.
					time.Sleep(time.Millisecond << (chunks - i))
				}
				return d
			})
			if hexOf(got) != want {
				t.Errorf("%s with the later chunks finishing first = %s, want %s: the chunk digests "+
					"were combined in the order the chunks finished, not in chunk order; keep "+
					"chunk i's digest in slot i and hash the slots once all are done",
					what, hexOf(got), want)
			}
		})
	}
}

// TestChunkedWorkerCounts checks the documented worker counts, as TestManyWorkerCounts
// does for HashAll: zero or less means runtime.GOMAXPROCS(0) (set here to a value other
// than the number of CPUs), and more workers than chunks is fine.
func TestChunkedWorkerCounts(t *testing.T) {
	g := chunkGoldens(t)
	procs := otherProcs()
	tests := []struct {
		name    string
		golden  string // the input, by its name in golden.json
		workers int
		procs   int // GOMAXPROCS during the call, if not zero
		want    int // calls in flight at once
		means   string
	}{
		{name: "zero", golden: "twelve_chunks", workers: 0, procs: procs, want: procs, means: "runtime.GOMAXPROCS(0)"},
		{name: "negative", golden: "twelve_chunks", workers: -1, procs: procs, want: procs, means: "runtime.GOMAXPROCS(0)"},
		{name: "one", golden: "twelve_chunks", workers: 1, want: 1, means: "one at a time"},
		{name: "more_than_chunks", golden: "three_chunks", workers: 16, want: 3, means: "one per chunk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size, want := g.chunked(t, tt.golden)
			data := chunkData(size)
			chunks := (size + ChunkSize - 1) / ChunkSize
			what := fmt.Sprintf("ChunkedSum(%d chunks, workers=%d)", chunks, tt.workers)
			if tt.procs > 0 {
				setProcs(t, tt.procs)
				what += fmt.Sprintf(" with GOMAXPROCS=%d on %d CPUs", tt.procs, runtime.NumCPU())
			}
			guard.Bubble(t, guard.Limit, what, func(t *testing.T) {
				p := rendezvous.New(tt.want, time.Second)
				got := ChunkedSum(data, tt.workers, holding(p))
				if hexOf(got) != want {
					t.Errorf("%s = %s, want %s", what, hexOf(got), want)
				}
				if peak := p.Peak(); peak != tt.want {
					t.Errorf("%s had at most %d sum calls in flight at once, want %d (%s)%s",
						what, peak, tt.want, tt.means, procsHint(tt.procs, peak, chunks))
				}
			})
		})
	}
}
