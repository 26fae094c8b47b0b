package hashing

import (
	"encoding/hex"
	"fmt"
	"reflect"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/golden"
	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

func TestMain(m *testing.M) {
	guard.Main(m)
}

// goldens is testdata/09_hashing/golden.json, written by testdata/09_hashing/gen.go.
type goldens struct {
	ChunkSize int `json:"chunk_size"`
	Chunked   []struct {
		Name   string `json:"name"`
		Size   int    `json:"size"`
		Digest string `json:"digest"`
	} `json:"chunked"`
	Repeats []struct {
		Name    string `json:"name"`
		Pattern string `json:"pattern"`
		N       int    `json:"n"`
		Digest  string `json:"digest"`
	} `json:"repeats"`
}

func loadGoldens(t *testing.T) goldens {
	t.Helper()
	var g goldens
	golden.JSON(t, "09_hashing/golden.json", &g)
	return g
}

// chunked returns the golden digest of the chunked input called name.
func (g goldens) chunked(t *testing.T, name string) (size int, digest string) {
	t.Helper()
	for _, c := range g.Chunked {
		if c.Name == name {
			return c.Size, c.Digest
		}
	}
	t.Fatalf("testdata/09_hashing/golden.json has no chunked input %q", name)
	return 0, ""
}

// repeat returns the golden workload called name and its digest.
func (g goldens) repeat(t *testing.T, name string) (Repeat, string) {
	t.Helper()
	for _, r := range g.Repeats {
		if r.Name == name {
			return Repeat{Pattern: []byte(r.Pattern), N: r.N}, r.Digest
		}
	}
	t.Fatalf("testdata/09_hashing/golden.json has no repeat %q", name)
	return Repeat{}, ""
}

func hexOf(d [32]byte) string { return hex.EncodeToString(d[:]) }

// allocated returns the bytes allocated on the heap while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// The ways a call run by allocatedWithin can end.
const (
	returned       = iota // f returned
	overAllocating        // f allocated the limit or more and was left running
	stuckRunning          // f did not return within its patience and was left running
)

// allocatedWithin calls f in a goroutine of its own and returns what it allocated on the
// heap, like allocated. It stops waiting for f as soon as f has allocated limit bytes or
// more (building the seed's 700 MB input takes seconds under -race, and the test has seen
// enough), or when f has run for patience; f then goes on in the background, and the
// caller must not read what f writes.
func allocatedWithin(limit uint64, patience time.Duration, f func()) (alloc uint64, how int) {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	heapAllocs := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := heapAllocs()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.NewTimer(patience)
	defer deadline.Stop()
	for {
		select {
		case <-done:
			runtime.ReadMemStats(&after)
			return after.TotalAlloc - before.TotalAlloc, returned
		case <-tick.C:
			if a := heapAllocs() - start; a >= limit {
				return a, overAllocating
			}
		case <-deadline.C:
			return heapAllocs() - start, stuckRunning
		}
	}
}

func mib(n uint64) string { return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20)) }

// leftBehind returns the stacks of the goroutines still running that were started by
// the function f (or run it).
func leftBehind(f any) []string {
	name := runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Name()
	var left []string
	guard.Stacks(func(_, stack string) bool {
		if strings.Contains(stack, name+".") || strings.Contains(stack, name+" ") ||
			strings.Contains(stack, name+"(") {
			left = append(left, stack)
		}
		return false
	})
	return left
}
