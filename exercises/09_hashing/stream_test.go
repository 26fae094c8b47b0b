package hashing

import (
	"bytes"
	"crypto/sha256"
	"slices"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/go-concurrency-workbook/workbook/internal/rendezvous"
	"github.com/google/go-cmp/cmp"
)

// maxStreamAlloc is what hashing one workload may allocate, whatever its size.
const maxStreamAlloc = 1 << 20

// seedPatience is how long TestStreamSeed waits for Repeat.Sum of the seed's 700 MB. A
// correct Sum that writes 64 KiB at a time takes about a second under -race; one that
// writes the 7-byte pattern 100 million times takes about 45 s on a loaded machine, and is
// correct too.
const seedPatience = 50 * time.Second

// TestStreamSeed hashes the seed's b'Bla bla' * 100_000_000 (700 MB): the digest must be
// the golden one, and building the input is not allowed.
func TestStreamSeed(t *testing.T) {
	r, want := loadGoldens(t).repeat(t, "seed")
	var got [32]byte
	alloc, how := allocatedWithin(maxStreamAlloc, seedPatience, func() { got = r.Sum() })
	switch {
	case how == returned && alloc >= maxStreamAlloc:
		t.Errorf("Repeat{%q, %d}.Sum() allocated %s, want under %s: it built the whole 700 MB "+
			"input before hashing it; write copies of the pattern to a hash.Hash through a small buffer",
			r.Pattern, r.N, mib(alloc), mib(maxStreamAlloc))
	case how == overAllocating:
		t.Errorf("Repeat{%q, %d}.Sum() had allocated %s before it returned, want under %s in "+
			"all: it builds the whole 700 MB input before hashing it; write copies of the pattern "+
			"to a hash.Hash through a small buffer", r.Pattern, r.N, mib(alloc), mib(maxStreamAlloc))
		return
	case how == stuckRunning:
		t.Errorf("Repeat{%q, %d}.Sum() did not return within %v (correct code needs about a "+
			"second under -race, and under a minute even with a Write per copy of the pattern):\n%s",
			r.Pattern, r.N, seedPatience, guard.Stacks(nil))
		return
	}
	if hexOf(got) != want {
		t.Errorf("Repeat{%q, %d}.Sum() = %s, want %s, the golden digest of testdata/09_hashing/golden.json: "+
			"the bytes written to the hash.Hash are not N whole copies of the pattern in a row (check "+
			"the copies left over after the last full buffer)", r.Pattern, r.N, hexOf(got), want)
	}
}

// TestStreamSmall compares Repeat.Sum with sha256.Sum256(bytes.Repeat(...)) on edge cases
// and checks that none of them builds its input.
func TestStreamSmall(t *testing.T) {
	long := bytes.Repeat([]byte("0123456789abcdef"), 100<<10/16)
	long = append(long, "+7bytes"...) // longer than any sensible buffer
	tests := []struct {
		name    string
		pattern []byte
		n       int
	}{
		{name: "zero", pattern: []byte("Bla bla"), n: 0},
		{name: "once", pattern: []byte("Bla bla"), n: 1},
		{name: "empty_pattern", pattern: nil, n: 1000},
		{name: "one_byte", pattern: []byte("x"), n: 3_000_001},
		{name: "seed_pattern", pattern: []byte("Bla bla"), n: 1_000_003},
		{name: "odd_pattern", pattern: bytes.Repeat([]byte("abc"), 1366) /* 4098 bytes */, n: 1001},
		{name: "long_pattern", pattern: long, n: 23},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := sha256.Sum256(bytes.Repeat(tt.pattern, tt.n))
			r := Repeat{Pattern: tt.pattern, N: tt.n}
			var got [32]byte
			alloc := allocated(func() { got = r.Sum() })
			if hexOf(got) != hexOf(want) {
				t.Errorf("Repeat{%d-byte pattern, %d}.Sum() = %s, want %s, sha256.Sum256(bytes.Repeat(pattern, %d)): "+
					"the bytes written to the hash.Hash are not N whole copies of the pattern (check the "+
					"copies left over after the last full buffer, a pattern longer than the buffer, an "+
					"empty pattern and an N of zero)", len(tt.pattern), tt.n, hexOf(got), hexOf(want), tt.n)
			}
			if alloc >= maxStreamAlloc {
				t.Errorf("Repeat{%d-byte pattern, %d}.Sum() allocated %s for a %s input, want under %s: "+
					"it built the input instead of streaming it through a small buffer",
					len(tt.pattern), tt.n, mib(alloc), mib(uint64(len(tt.pattern)*tt.n)), mib(maxStreamAlloc))
			}
		})
	}
}

// TestStreamParallel proves that SumRepeats runs its workloads at once: each call of sum
// waits at a rendezvous for the others, which only a goroutine per job can satisfy. The
// earlier jobs take longer (fake time) so that they finish last.
func TestStreamParallel(t *testing.T) {
	jobs := []Repeat{
		{Pattern: []byte("Bla bla"), N: 1000},
		{Pattern: []byte("bla"), N: 10},
		{Pattern: []byte("Bla bla"), N: 0},
	}
	want := make([][32]byte, len(jobs))
	for i, j := range jobs {
		want[i] = sha256.Sum256(bytes.Repeat(j.Pattern, j.N))
	}
	guard.Bubble(t, guard.Limit, "SumRepeats(3 jobs)", func(t *testing.T) {
		p := rendezvous.New(len(jobs), time.Second)
		got := SumRepeats(jobs, func(r Repeat) [32]byte {
			defer p.Arrive()()
			i := slices.IndexFunc(jobs, func(j Repeat) bool { return j.N == r.N })
			time.Sleep(time.Duration(len(jobs)-i) * time.Millisecond) // job 0 finishes last
			return sha256.Sum256(bytes.Repeat(r.Pattern, r.N))
		})
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("SumRepeats(3 jobs) mismatch (-want +got), digest i must be job i's whichever finished first:\n%s", diff)
		}
		if calls := p.Calls(); calls != len(jobs) {
			t.Errorf("SumRepeats(3 jobs) called sum %d times, want %d, exactly once per job, whichever "+
				"goroutine does it: a job summed twice or never was handed out wrongly", calls, len(jobs))
		}
		if !p.Met() {
			t.Errorf("SumRepeats(3 jobs): only %d of %d sum calls were ever in flight at once: the "+
				"workloads ran one after another, as Python threads take turns under the GIL; "+
				"start a goroutine per job and wait for them all", p.Peak(), len(jobs))
		}
	})
}

// TestStreamTwice is the seed's program at a tenth of its size: two threads each hashing
// b'Bla bla' * 10_000_000, here two goroutines running Repeat.Sum at once. Under -race it
// also catches state that the two calls of Repeat.Sum share. (The benchmarks run the
// seed's full size.)
func TestStreamTwice(t *testing.T) {
	r, digest := loadGoldens(t).repeat(t, "seed_tenth")
	const what = "SumRepeats(2 jobs of 70 MB, Repeat.Sum)"
	var got [][32]byte
	alloc, how := allocatedWithin(2*maxStreamAlloc, guard.Limit, func() { got = SumRepeats([]Repeat{r, r}, Repeat.Sum) })
	switch {
	case how == returned && alloc >= 2*maxStreamAlloc:
		t.Errorf("%s allocated %s, want under %s: Repeat.Sum built each 70 MB input instead of "+
			"streaming it", what, mib(alloc), mib(2*maxStreamAlloc))
	case how == overAllocating:
		t.Errorf("%s had allocated %s before it returned, want under %s in all: Repeat.Sum "+
			"builds each 70 MB input instead of streaming it", what, mib(alloc), mib(2*maxStreamAlloc))
		return
	case how == stuckRunning:
		t.Errorf("%s did not return within %v (correct code needs well under a second):\n%s",
			what, guard.Limit, guard.Stacks(nil))
		return
	}
	if len(got) != 2 {
		t.Fatalf("%s returned %d digests, want 2, one per job: make the slice of digests with "+
			"len(jobs) up front and store each job's digest at the job's index, whichever goroutine computed it",
			what, len(got))
	}
	if diff := cmp.Diff([]string{digest, digest}, []string{hexOf(got[0]), hexOf(got[1])}); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, diff)
	}
}
