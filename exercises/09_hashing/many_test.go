package hashing

import (
	"crypto/sha256"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/go-concurrency-workbook/workbook/internal/rendezvous"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// manyInputs returns n distinct inputs of various lengths, the first one empty.
func manyInputs(n int) [][]byte {
	inputs := make([][]byte, n)
	for i := range inputs {
		if i > 0 {
			inputs[i] = []byte(strings.Repeat("Bla bla ", i%13) + fmt.Sprint(i))
		}
	}
	return inputs
}

// wantSums returns the digests of inputs, computed one after another.
func wantSums(inputs [][]byte) [][32]byte {
	want := make([][32]byte, len(inputs))
	for i, in := range inputs {
		want[i] = sha256.Sum256(in)
	}
	return want
}

// lastFirst returns a sum that takes longer (in fake time) the earlier its input comes in
// inputs, so that with several workers the digests finish out of input order.
func lastFirst(inputs [][]byte) func([]byte) [32]byte {
	index := make(map[string]int, len(inputs))
	for i, in := range inputs {
		index[string(in)] = i
	}
	return func(b []byte) [32]byte {
		if i, ok := index[string(b)]; ok {
			time.Sleep(time.Duration(len(inputs)-i) * time.Millisecond)
		}
		return sha256.Sum256(b)
	}
}

// TestManyDigests checks HashAll's digests and their order. The sum calls on earlier
// inputs take longer, so the digests finish in another order than the inputs'.
func TestManyDigests(t *testing.T) {
	tests := []struct {
		name    string
		inputs  [][]byte
		workers int
	}{
		{name: "none", inputs: nil, workers: 2},
		{name: "one", inputs: [][]byte{[]byte("Bla bla")}, workers: 2},
		{name: "serial", inputs: manyInputs(10), workers: 1},
		{name: "two_workers", inputs: manyInputs(10), workers: 2},
		{name: "hundred", inputs: manyInputs(100), workers: 4},
		{name: "more_workers", inputs: manyInputs(5), workers: 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			what := fmt.Sprintf("HashAll(%d inputs, workers=%d)", len(tt.inputs), tt.workers)
			guard.Bubble(t, guard.Limit, what, func(t *testing.T) {
				got := HashAll(tt.inputs, tt.workers, lastFirst(tt.inputs))
				if diff := cmp.Diff(wantSums(tt.inputs), got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s mismatch (-want +got); digest i must be input i's, "+
						"whichever finished first:\n%s", what, diff)
				}
			})
		})
	}
}

// TestManyParallel proves that HashAll with 2 workers hashes 2 inputs at once: each sum
// call waits at a rendezvous for a second one, which a serial loop never provides.
func TestManyParallel(t *testing.T) {
	inputs := manyInputs(8)
	guard.Bubble(t, guard.Limit, "HashAll(8 inputs, workers=2)", func(t *testing.T) {
		p := rendezvous.New(2, time.Second)
		got := HashAll(inputs, 2, func(b []byte) [32]byte {
			defer p.Arrive()()
			return sha256.Sum256(b)
		})
		if diff := cmp.Diff(wantSums(inputs), got); diff != "" {
			t.Errorf("HashAll(8 inputs, workers=2) mismatch (-want +got):\n%s", diff)
		}
		if !p.Met() {
			t.Errorf("HashAll(8 inputs, workers=2): only %d of 2 sum calls were ever in flight at "+
				"once: the work ran serially", p.Peak())
		}
	})
}

// holding returns a sum that arrives at p and holds each call open for a millisecond of
// fake time, so that every call that can be in flight at once is.
func holding(p *rendezvous.Point) func([]byte) [32]byte {
	return func(b []byte) [32]byte {
		defer p.Arrive()()
		time.Sleep(time.Millisecond)
		return sha256.Sum256(b)
	}
}

// TestManyBounded checks that HashAll never has more than workers calls in flight, and
// that it does reach workers.
func TestManyBounded(t *testing.T) {
	inputs := manyInputs(100)
	guard.Bubble(t, guard.Limit, "HashAll(100 inputs, workers=4)", func(t *testing.T) {
		p := rendezvous.New(4, time.Second)
		got := HashAll(inputs, 4, holding(p))
		if diff := cmp.Diff(wantSums(inputs), got); diff != "" {
			t.Errorf("HashAll(100 inputs, workers=4) mismatch (-want +got):\n%s", diff)
		}
		switch peak := p.Peak(); {
		case peak > 4:
			t.Errorf("HashAll(100 inputs, workers=4) had %d sum calls in flight at once, want at "+
				"most 4: it started a goroutine per input without a bound; start 4 workers that "+
				"take inputs one by one, or bound the goroutines (errgroup's SetLimit(4), a "+
				"semaphore of 4)", peak)
		case peak < 4:
			t.Errorf("HashAll(100 inputs, workers=4): only %d of 4 sum calls were ever in flight "+
				"at once: fewer goroutines than workers hashed inputs at the same time (or they ran "+
				"one after another)", peak)
		}
	})
}

// TestManyWorkerCounts checks the documented worker counts: zero or less means
// runtime.GOMAXPROCS(0), and more workers than inputs is fine. For zero and less the test
// sets GOMAXPROCS to a value other than the number of CPUs, so that code reading
// runtime.NumCPU() (or starting one worker) is told apart at every -cpu.
func TestManyWorkerCounts(t *testing.T) {
	procs := otherProcs()
	tests := []struct {
		name    string
		inputs  int
		workers int
		procs   int // GOMAXPROCS during the call, if not zero
		want    int // calls in flight at once
		means   string
	}{
		{name: "zero", inputs: 16, workers: 0, procs: procs, want: procs, means: "runtime.GOMAXPROCS(0)"},
		{name: "negative", inputs: 16, workers: -1, procs: procs, want: procs, means: "runtime.GOMAXPROCS(0)"},
		{name: "one", inputs: 5, workers: 1, want: 1, means: "one at a time"},
		{name: "more_than_inputs", inputs: 3, workers: 16, want: 3, means: "one per input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inputs := manyInputs(tt.inputs)
			what := fmt.Sprintf("HashAll(%d inputs, workers=%d)", tt.inputs, tt.workers)
			if tt.procs > 0 {
				setProcs(t, tt.procs)
				what += fmt.Sprintf(" with GOMAXPROCS=%d on %d CPUs", tt.procs, runtime.NumCPU())
			}
			guard.Bubble(t, guard.Limit, what, func(t *testing.T) {
				p := rendezvous.New(tt.want, time.Second)
				got := HashAll(inputs, tt.workers, holding(p))
				if diff := cmp.Diff(wantSums(inputs), got); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
				}
				if peak := p.Peak(); peak != tt.want {
					t.Errorf("%s had at most %d sum calls in flight at once, want %d (%s)%s",
						what, peak, tt.want, tt.means, procsHint(tt.procs, peak, tt.inputs))
				}
			})
		})
	}
}

// otherProcs returns a GOMAXPROCS for the worker-count tests: at least 2, below their
// input and chunk counts, and never the number of CPUs.
func otherProcs() int {
	if runtime.NumCPU() == 3 {
		return 2
	}
	return 3
}

// setProcs runs the rest of the test with GOMAXPROCS=n.
func setProcs(t *testing.T, n int) {
	prev := runtime.GOMAXPROCS(n)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
}

// procsHint says what a peak of calls in flight means, for n inputs or chunks, when
// workers of zero or less was meant to be runtime.GOMAXPROCS(0) = procs.
func procsHint(procs, peak, n int) string {
	switch {
	case procs == 0:
		return ""
	case peak == min(runtime.NumCPU(), n):
		return ": runtime.NumCPU() counts the machine's CPUs, not the threads that may run Go " +
			"code at the same time, which GOMAXPROCS sets (a container's CPU limit, the -cpu flag, " +
			"the GOMAXPROCS variable). Use runtime.GOMAXPROCS(0)"
	case peak == 1:
		return ": a workers of zero or less is not one worker; it means runtime.GOMAXPROCS(0)"
	}
	return ""
}

// TestManyNoLeak checks that no goroutine started by HashAll is left once it returns.
func TestManyNoLeak(t *testing.T) {
	for _, tt := range []struct{ inputs, workers int }{{inputs: 3, workers: 8}, {inputs: 50, workers: 4}} {
		inputs := manyInputs(tt.inputs)
		what := fmt.Sprintf("HashAll(%d inputs, workers=%d)", tt.inputs, tt.workers)
		guard.Bubble(t, guard.Limit, what, func(t *testing.T) {
			got := HashAll(inputs, tt.workers, sha256.Sum256)
			if diff := cmp.Diff(wantSums(inputs), got); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
			}
			synctest.Wait() // every goroutine of the bubble has exited or is blocked for good
			if left := leftBehind(HashAll); len(left) > 0 {
				t.Errorf("%s returned but left %d goroutines behind: a worker still waits for "+
					"work that will never come (close the channel it reads, and wait for the "+
					"workers before returning):\n\n%s", what, len(left), strings.Join(left, "\n\n"))
			}
		})
	}
}
