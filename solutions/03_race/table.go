package race

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
)

// Table holds how many times each letter occurs: Table[0] counts 'a' and 'A', Table[25]
// counts 'z' and 'Z'. It is an array, not a map, so that a racy update loses counts
// instead of (usually) crashing the program: the race detector, not luck, has to find it.
type Table [26]int

// Fetcher returns the text of the document called name, or an error. It may take a while
// (it stands for an HTTP request); it returns early with ctx.Err() when ctx is cancelled.
// A Fetcher may be called by many goroutines at the same time, and the caller must not modify the
// bytes it returns.
type Fetcher func(ctx context.Context, name string) ([]byte, error)

// Add counts the letters of text into t. Letters are the ASCII letters a–z and A–Z, an
// uppercase letter counting as its lowercase one; every other byte, including every byte
// of a non-ASCII rune such as 'é', is ignored. Add is not safe for concurrent use on the
// same Table.
func (t *Table) Add(text []byte) {
	// Eight byte histograms, filled in turn from one 8-byte load, so that consecutive
	// equal bytes update different counters and the loop does not wait on its own
	// stores. The letters are picked out (and folded to lowercase) once, at the end.
	var h [8][256]uint32
	for len(text) > 0 {
		chunk := text[:min(len(text), 1<<30)] // no counter can overflow
		text = text[len(chunk):]
		for len(chunk) >= 8 {
			v := binary.LittleEndian.Uint64(chunk)
			h[0][byte(v)]++
			h[1][byte(v>>8)]++
			h[2][byte(v>>16)]++
			h[3][byte(v>>24)]++
			h[4][byte(v>>32)]++
			h[5][byte(v>>40)]++
			h[6][byte(v>>48)]++
			h[7][byte(v>>56)]++
			chunk = chunk[8:]
		}
		for _, c := range chunk {
			h[0][c]++
		}
		for i := range t {
			for k := range h {
				t[i] += int(h[k]['a'+i]) + int(h[k]['A'+i])
				h[k]['a'+i], h[k]['A'+i] = 0, 0
			}
		}
	}
}

// Merge adds the counts of u to t.
func (t *Table) Merge(u *Table) {
	for i, n := range u {
		t[i] += n
	}
}

// Total returns the number of letters counted in t.
func (t *Table) Total() int {
	total := 0
	for _, n := range t {
		total += n
	}
	return total
}

// String returns the counts that are not zero, in alphabetical order, like "a=2 b=1".
func (t Table) String() string {
	var b strings.Builder
	for i, n := range t {
		if n == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%c=%d", 'a'+i, n)
	}
	return b.String()
}

// CountSerial fetches the documents called names one after another, through fetch, and
// returns how many times each letter occurs in them all. It is the seed's serial main(),
// the baseline for the concurrent versions: its time is the sum of every fetch's latency.
// It returns the first error from fetch.
func CountSerial(ctx context.Context, fetch Fetcher, names []string) (Table, error) {
	var table Table
	for _, name := range names {
		text, err := fetch(ctx, name)
		if err != nil {
			return Table{}, fmt.Errorf("fetch %s: %w", name, err)
		}
		table.Add(text)
	}
	return table, nil
}
