package locks

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// reader is what BenchmarkRead measures: a table whose Read calls fn under a lock.
type reader interface {
	Read(fn func(table map[string]string))
}

// mutexCache is the starting code's Cache: one sync.Mutex for readers and writers alike.
// It is the baseline that Cache is measured against.
type mutexCache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *mutexCache) Read(fn func(table map[string]string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn(c.m)
}

// noLock calls fn with no lock at all: not safe with a writer, but the upper bound of
// what any lock can reach.
type noLock struct{ m map[string]string }

func (c *noLock) Read(fn func(table map[string]string)) { fn(c.m) }

// spinRounds is how many rounds of xorshift spin does: about 1 µs on the reference
// machine (2 ns a round), without -race.
const spinRounds = 500

// spin is a read section of about 1 µs: a deterministic computation seeded by what it
// reads, not a sleep, so that it keeps its core busy the whole time, as real work under
// a read lock would.
func spin(seed uint64) uint64 {
	x := seed | 1
	for range spinRounds {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	return x
}

// sink keeps the compiler from dropping spin's work.
var sink atomic.Uint64

// runReads calls r.Read from GOMAXPROCS goroutines (set it with -cpu 1,2) until b.N
// reads are done, each read section running section, under a watchdog so that a Read
// that never returns fails the benchmark instead of hanging it.
func runReads(b *testing.B, r reader, section func(table map[string]string) uint64) {
	b.ReportAllocs()
	guard.Run(b, guard.Limit, "the benchmark's Reads", func() {
		b.RunParallel(func(pb *testing.PB) {
			var acc uint64
			fn := func(table map[string]string) { acc += section(table) }
			for pb.Next() {
				r.Read(fn)
			}
			sink.Add(acc)
		})
	})
}

// BenchmarkRead compares read sections under no lock (impl=nolock, the upper bound), one
// sync.Mutex (impl=mutex, the starting code, the baseline) and your Cache (impl=cache,
// a sync.RWMutex in the reference). section=empty reads one key and measures the lock
// alone; section=1us spins for about a microsecond inside it. Run it with -cpu 1,2: only
// readers that share the lock let the second core read at the same time as the first.
func BenchmarkRead(b *testing.B) {
	table := map[string]string{"k": "value"}
	var cache Cache
	cache.Set("k", "value")
	sections := []struct {
		name string
		fn   func(table map[string]string) uint64
	}{
		{name: "section=empty", fn: func(table map[string]string) uint64 { return uint64(len(table["k"])) }},
		{name: "section=1us", fn: func(table map[string]string) uint64 { return spin(uint64(len(table["k"]))) }},
	}
	for _, s := range sections {
		b.Run(s.name+"/impl=nolock", func(b *testing.B) { runReads(b, &noLock{m: table}, s.fn) })
		b.Run(s.name+"/impl=mutex", func(b *testing.B) { runReads(b, &mutexCache{m: table}, s.fn) })
		b.Run(s.name+"/impl=cache", func(b *testing.B) { runReads(b, &cache, s.fn) })
	}
}
