package race

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/go-concurrency-workbook/workbook/internal/golden"
	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// The checks below are shared by the three exercises: each Test function of an exercise
// calls one of them with its Count function.

// countFunc is the signature of CountMutex, CountConfined and CountAtomic.
type countFunc func(ctx context.Context, fetch Fetcher, names []string) (Table, error)

const (
	latency   = 100 * time.Millisecond // one fake fetch
	slow      = time.Minute            // a fetch that only cancellation cuts short
	failAfter = 10 * time.Millisecond  // when the failing fetch fails
	windDown  = time.Millisecond       // how long a cancelled fetch takes to return
	failing   = "rfc1007.txt"          // the document whose fetch fails
	limit     = 3 * time.Second        // real time a call may take; correct code needs ~50ms under -race
	fakeLimit = time.Hour              // fake time a call may take in a bubble
)

// errBoom is the error of the failing fetch.
var errBoom = errors.New("connection reset by peer")

// allAtOnce says why the chapter rejects a bound on the fetches in flight.
const allAtOnce = "This chapter asks for every fetch at once, with no bound (no errgroup SetLimit, " +
	"no semaphore): the seed starts a thread per document, and twenty fetches are few enough that " +
	"a bound only makes the call slower, ceil(20/N) latencies for a bound of N instead of one. " +
	"A bound is for thousands of URLs, or a server you must be gentle with (chapter 02)."

// corpus is the twenty documents of testdata/03_race and their golden letter counts.
type corpus struct {
	names []string
	docs  map[string][]byte
	total Table
}

func loadCorpus(t *testing.T) corpus {
	t.Helper()
	var counts struct {
		Total     map[string]int            `json:"total"`
		Documents map[string]map[string]int `json:"documents"`
	}
	golden.JSON(t, "03_race/counts.json", &counts)
	c := corpus{docs: map[string][]byte{}, total: tableOf(counts.Total)}
	c.names = slices.Sorted(maps.Keys(counts.Documents))
	for _, name := range c.names {
		c.docs[name] = golden.Load(t, "03_race/"+name)
	}
	require.Len(t, c.names, 20, "testdata/03_race/counts.json: want 20 documents (regenerate with go run testdata/03_race/gen.go)")
	return c
}

func tableOf(m map[string]int) Table {
	var t Table
	for i := range t {
		t[i] = m[string(rune('a'+i))]
	}
	return t
}

func mapOf(t Table) map[string]int {
	m := map[string]int{}
	for i, n := range t {
		m[string(rune('a'+i))] = n
	}
	return m
}

// checkTable fails t if got differs from want, naming the letters that differ and what
// too few or too many of them means.
func checkTable(t *testing.T, what string, want, got Table) {
	t.Helper()
	diff := cmp.Diff(mapOf(want), mapOf(got))
	if diff == "" {
		return
	}
	var fewer, more []string
	for i := range want {
		switch d := fmt.Sprintf("%c (got %d, want %d)", 'a'+i, got[i], want[i]); {
		case got[i] < want[i]:
			fewer = append(fewer, d)
		case got[i] > want[i]:
			more = append(more, d)
		}
	}
	msg := fmt.Sprintf("%s mismatch (-want +got):\n%s", what, diff)
	if got.Total() == 0 && want.Total() > 0 {
		msg += "\nIt counted no letters at all: start a goroutine per document and wait for them all before returning."
	} else if len(fewer) > 0 {
		msg += "\nCounted too few: " + strings.Join(fewer, ", ") + ".\nLost updates mean unsynchronised " +
			"increments: two goroutines read the same count, both add one, and one write overwrites the " +
			"other. The race detector shows where when the accesses are plain; it cannot see a read and a " +
			"write that are each synchronised but not together (a sync.Map Load then Store, an atomic Load " +
			"then Store): the pair must be one step (a mutex around both, or Add). Or uppercase letters " +
			"were not counted as lowercase ones, " +
			"or the call returned before every goroutine had counted its document."
	}
	if len(more) > 0 {
		msg += "\nCounted too many: " + strings.Join(more, ", ") + ".\nOnly the ASCII letters count, " +
			"an uppercase one as its lowercase one: not digits, not punctuation, not the bytes of a " +
			"non-ASCII rune (é, İ, the KELVIN SIGN \u212a, whatever unicode.ToLower makes of them)."
	}
	t.Error(msg)
}

// fakeFetcher serves documents from memory after a latency (fake time in a synctest
// bubble) and counts the fetches in flight. One document may fail.
type fakeFetcher struct {
	docs    map[string][]byte
	latency time.Duration // of every fetch but the failing one
	fail    string        // the document that fails with errBoom after failAfter, if any

	mu       sync.Mutex
	inFlight int
	peak     int
}

// Fetch is the Fetcher.
func (f *fakeFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	f.mu.Lock()
	f.inFlight++
	f.peak = max(f.peak, f.inFlight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()

	d := f.latency
	if name == f.fail {
		d = failAfter
	}
	if d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			time.Sleep(windDown) // closing a connection takes a moment
			return nil, ctx.Err()
		}
	}
	if name == f.fail {
		return nil, errBoom
	}
	doc, ok := f.docs[name]
	if !ok {
		return nil, fmt.Errorf("no document %q", name)
	}
	return doc, nil
}

func (f *fakeFetcher) stats() (inFlight, peak int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.inFlight, f.peak
}

// result is what a Count function returned, how long it took, and how many fetches were
// still in flight when it returned.
type result struct {
	table    Table
	err      error
	elapsed  time.Duration
	inFlight int
}

// callCount calls count with f.Fetch and sends what it returned on res. It is a named
// function so that guard.States can find the goroutine that runs it.
func callCount(count countFunc, ctx context.Context, f *fakeFetcher, names []string, res chan<- result) {
	start := time.Now()
	table, err := count(ctx, f.Fetch, names)
	elapsed := time.Since(start)
	inFlight, _ := f.stats()
	res <- result{table, err, elapsed, inFlight}
}

// start calls count in a goroutine of its own, in a synctest bubble; await waits for it.
func start(t *testing.T, count countFunc, f *fakeFetcher, names []string) <-chan result {
	res := make(chan result, 1)
	go callCount(count, t.Context(), f, names, res)
	return res
}

// await returns what count returned, or fails t if it has not returned after fakeLimit
// of fake time. n is the number of documents.
func await(t *testing.T, what string, res <-chan result, n int) (result, bool) {
	t.Helper()
	select {
	case r := <-res:
		return r, true
	case <-time.After(fakeLimit):
		t.Errorf("%s has not returned after %v of fake time. If it polls a counter that its "+
			"goroutines increment without synchronisation, one increment was lost and the "+
			"counter never reaches %d: finishedCount++ from many goroutines is a race too.",
			what, fakeLimit, n)
		return result{}, false
	}
}

// run calls count outside a bubble, under a watchdog, and reports whether it returned.
func run(t *testing.T, what string, count countFunc, fetch Fetcher, names []string) (Table, error, bool) {
	t.Helper()
	var (
		table Table
		err   error
	)
	ok := guard.Run(t, limit, what, func() { table, err = count(t.Context(), fetch, names) })
	if !ok && slices.ContainsFunc(guard.States("/03_race.Count"), func(s string) bool { return strings.HasPrefix(s, "sleep") }) {
		t.Errorf("%s is still sleeping: if it polls a counter that its goroutines increment without "+
			"synchronisation, one increment was lost and the counter never reaches %d: "+
			"finishedCount++ from many goroutines is a race too.", what, len(names))
	}
	return table, err, ok
}

// bubble runs f in a synctest bubble through guard.Bubble. If the bubble gets stuck with
// goroutines waiting on a mutex while another one fetches, it says what that means.
func bubble(t *testing.T, what string, f func(t *testing.T)) {
	t.Helper()
	guard.Bubble(t, limit, what, f)
	if !t.Failed() {
		return
	}
	locked := 0
	for _, s := range guard.States("/03_race.") {
		if strings.HasPrefix(s, "sync.Mutex.Lock") {
			locked++
		}
	}
	if locked > 0 && len(guard.States("fakeFetcher).Fetch")) > 0 {
		t.Errorf("%s: %d goroutines wait in sync.Mutex.Lock while another fetches: a goroutine "+
			"holds the mutex across its fetch, so the fetches run one after another (and in a "+
			"synctest bubble fake time cannot even advance while goroutines wait on a mutex). "+
			"Lock around the counting only, after the fetch has returned.", what, locked)
	}
}

// testCounts checks the counts of the twenty documents against the golden file, and
// that no documents count as an empty Table.
func testCounts(t *testing.T, name string, count countFunc) {
	c := loadCorpus(t)
	t.Run("20docs", func(t *testing.T) {
		what := fmt.Sprintf("%s(20 RFCs)", name)
		f := &fakeFetcher{docs: c.docs}
		got, err, ok := run(t, what, count, f.Fetch, c.names)
		if !ok {
			return
		}
		require.NoError(t, err, "%s: no fetch fails here", what)
		checkTable(t, what, c.total, got)
	})
	t.Run("nodocs", func(t *testing.T) {
		what := fmt.Sprintf("%s(no documents)", name)
		bubble(t, what, func(t *testing.T) {
			f := &fakeFetcher{}
			got, err := count(t.Context(), f.Fetch, nil)
			require.NoError(t, err, what)
			checkTable(t, what, Table{}, got)
		})
	})
}

// testNoRace counts documents that all arrive at once, so that the goroutines count at
// the same time, and checks that no increment was lost. Under -race the detector reports
// any unsynchronised access even when no count is lost.
func testNoRace(t *testing.T, name string, count countFunc) {
	const docs, size = 16, 64 << 10
	g := &gateFetcher{docs: map[string][]byte{}, n: docs, open: make(chan struct{})}
	var names []string
	for i := range docs {
		doc := make([]byte, size)
		for j := range doc {
			doc[j] = "aBcDeFgHiJkLmNoPqRsTuVwXyZ"[(i+j)%26]
		}
		n := fmt.Sprintf("doc%02d.txt", i)
		g.docs[n] = doc
		names = append(names, n)
	}
	what := fmt.Sprintf("%s(%d docs of %d KiB, released at once)", name, docs, size>>10)
	got, err, ok := run(t, what, count, g.Fetch, names)
	if !ok {
		return
	}
	require.NoError(t, err, "%s: no fetch fails here", what)
	if got, want := got.Total(), docs*size; got != want {
		t.Errorf("%s counted %d letters, want %d: %d increments were lost. The goroutines updated "+
			"the shared table without making each read-add-write one step: plain increments (the race "+
			"detector shows where), or a read and a write each synchronised on its own (a sync.Map Load "+
			"then Store, an atomic Load then Store), which the detector cannot see; or the call returned "+
			"before they had all finished.", what, got, want, want-got)
	}
}

// gateFetcher holds every fetch until n of them are in flight (or a second has passed),
// then lets them all go at once.
type gateFetcher struct {
	docs map[string][]byte
	n    int

	mu      sync.Mutex
	arrived int
	open    chan struct{}
	once    sync.Once
}

// Fetch is the Fetcher.
func (g *gateFetcher) Fetch(ctx context.Context, name string) ([]byte, error) {
	g.mu.Lock()
	g.arrived++
	if g.arrived == g.n {
		g.once.Do(func() { close(g.open) })
	}
	g.mu.Unlock()
	timer := time.NewTimer(time.Second)
	defer timer.Stop()
	select {
	case <-g.open:
	case <-timer.C: // a serial caller: stop holding fetches back
		g.once.Do(func() { close(g.open) })
	}
	return g.docs[name], nil
}

// testConcurrent checks that all the fetches are in flight at once.
func testConcurrent(t *testing.T, name string, count countFunc) {
	c := loadCorpus(t)
	what := fmt.Sprintf("%s(%d docs, latency %v)", name, len(c.names), latency)
	bubble(t, what, func(t *testing.T) {
		f := &fakeFetcher{docs: c.docs, latency: latency}
		r, ok := await(t, what, start(t, count, f, c.names), len(c.names))
		if !ok {
			return
		}
		require.NoError(t, r.err, "%s: no fetch fails here", what)
		elapsed := r.elapsed
		_, peak := f.stats()
		switch {
		case peak == 0:
			t.Errorf("%s took %v of fake time, want %v: it never called fetch", what, elapsed, latency)
		case peak == 1:
			t.Errorf("%s took %v of fake time, want %v: the fetches ran one after another "+
				"(never more than 1 in flight, want %d). Start a goroutine per document.",
				what, elapsed, latency, len(c.names))
		case peak < len(c.names):
			t.Errorf("%s took %v of fake time, want %v: at most %d fetches were in flight at once, "+
				"want all %d. %s", what, elapsed, latency, peak, len(c.names), allAtOnce)
		}
	})
}

// testNoPolling checks that the caller waits to be told the goroutines are done instead
// of sleeping between looks at a counter.
func testNoPolling(t *testing.T, name string, count countFunc) {
	c := loadCorpus(t)
	what := fmt.Sprintf("%s(%d docs, latency %v)", name, len(c.names), latency)
	bubble(t, what, func(t *testing.T) {
		f := &fakeFetcher{docs: c.docs, latency: latency}
		res := start(t, count, f, c.names)
		synctest.Wait() // every goroutine is blocked now: the fetches, and the caller waiting for them
		for _, s := range guard.States("/03_race.callCount(") {
			if strings.HasPrefix(s, "sleep") {
				t.Errorf("%s is asleep in time.Sleep while the fetches are in flight: it polls "+
					"(sleeps between looks at a counter) instead of waiting to be told the work is "+
					"done", what)
			}
		}
		r, ok := await(t, what, res, len(c.names))
		if !ok {
			return
		}
		require.NoError(t, r.err, "%s: no fetch fails here", what)
		_, peak := f.stats()
		switch {
		case r.elapsed < latency:
			t.Errorf("%s took %v of fake time, want %v: it returned before the fetches could have "+
				"finished; wait for every goroutine", what, r.elapsed, latency)
		case r.elapsed > latency && 1 < peak && peak < len(c.names):
			t.Errorf("%s took %v of fake time, want %v: at most %d fetches were in flight at once, "+
				"so the others waited for a turn. %s", what, r.elapsed, latency, peak, allAtOnce)
		case r.elapsed > latency:
			t.Errorf("%s took %v of fake time, want %v: the caller noticed the end of the work "+
				"late. Polling a counter with time.Sleep(500ms) makes the call take 500ms instead of "+
				"100ms (and a plain counter written by the goroutines and read by the caller is a "+
				"data race); if it took 20 times the latency, the fetches ran one after another. "+
				"Wait with a sync.WaitGroup, or a channel the last goroutine closes.",
				what, r.elapsed, latency)
		}
		checkTable(t, what, c.total, r.table)
	})
}

// fetchError runs count over the corpus with one fetch failing after failAfter and the
// others taking a minute unless cancelled. It also returns the peak of fetches in flight.
func fetchError(t *testing.T, what string, count countFunc, c corpus) (result, int, bool) {
	f := &fakeFetcher{docs: c.docs, latency: slow, fail: failing}
	r, ok := await(t, what, start(t, count, f, c.names), len(c.names))
	_, peak := f.stats()
	return r, peak, ok
}

// testFetchError checks that the error of a failed fetch is returned, and that the other
// fetches are cancelled instead of running to the end.
func testFetchError(t *testing.T, name string, count countFunc) {
	c := loadCorpus(t)
	what := fmt.Sprintf("%s(%d docs, %s fails after %v, the others take %v)", name, len(c.names), failing, failAfter, slow)
	bubble(t, what, func(t *testing.T) {
		r, peak, ok := fetchError(t, what, count, c)
		if !ok {
			return
		}
		if !errors.Is(r.err, errBoom) {
			t.Errorf("%s returned error %v, want the failed fetch's error (%v)", what, r.err, errBoom)
		}
		switch {
		case r.elapsed < slow:
		case peak == 1:
			t.Errorf("%s took %v of fake time, want about %v: the fetches ran one after another, "+
				"so %s started only after the minute-long fetches before it. Start a goroutine per "+
				"document.", what, r.elapsed, failAfter+windDown, failing)
		case peak < len(c.names):
			t.Errorf("%s took %v of fake time, want about %v: at most %d fetches were in flight at "+
				"once, so %s started only when a fetch of a minute had finished. %s",
				what, r.elapsed, failAfter+windDown, peak, failing, allAtOnce)
		default:
			t.Errorf("%s took %v of fake time, want about %v: after %s failed, the other fetches "+
				"ran to the end. Cancel the context they were given (context.WithCancelCause, or the "+
				"context of errgroup.WithContext) so that they stop.", what, r.elapsed, failAfter+windDown, failing)
		}
	})
}

// testNoLeak checks that no fetch is still running when count returns after an error.
func testNoLeak(t *testing.T, name string, count countFunc) {
	c := loadCorpus(t)
	what := fmt.Sprintf("%s(%d docs, %s fails after %v)", name, len(c.names), failing, failAfter)
	bubble(t, what, func(t *testing.T) {
		r, _, ok := fetchError(t, what, count, c)
		if !ok {
			return
		}
		if r.inFlight > 0 {
			t.Errorf("%s returned while %d fetches were still running: goroutines left behind. "+
				"Cancel the others and wait for every goroutine you started before returning, "+
				"even after an error.", what, r.inFlight)
		}
		require.ErrorIs(t, r.err, errBoom, "%s must return the failed fetch's error", what)
	})
}

// testCaseFolding counts texts where case folding matters: uppercase letters, the bytes
// just outside the letter ranges, digits, and non-ASCII runes that lowercase to an ASCII
// letter in Unicode.
func testCaseFolding(t *testing.T, name string, count countFunc) {
	docs := map[string][]byte{
		"shout.txt": []byte("THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG"),
		"mixed.txt": []byte("Hello, World! Zebras zig-zag, aardvarks amble."),
		"noise.txt": []byte("0123456789 @[`{ ~!#$%^&*()_+-=|\\;:'\",.<>/?\t\r\n"),
		"utf8.txt":  []byte("café naïve İSTANBUL 300 \u212a Ångström ſ ﬁ"),
	}
	want := reference(docs)
	names := slices.Sorted(maps.Keys(docs))
	what := fmt.Sprintf("%s(%q)", name, names)
	f := &fakeFetcher{docs: docs}
	got, err, ok := run(t, what, count, f.Fetch, names)
	if !ok {
		return
	}
	require.NoError(t, err, "%s: no fetch fails here", what)
	checkTable(t, what, want, got)
}

// reference counts the letters of docs the plainest way, one byte at a time.
func reference(docs map[string][]byte) Table {
	var t Table
	for _, doc := range docs {
		for _, c := range doc {
			switch {
			case 'a' <= c && c <= 'z':
				t[c-'a']++
			case 'A' <= c && c <= 'Z':
				t[c-'A']++
			}
		}
	}
	return t
}

// testTwoCalls runs two calls at the same time, each on documents of its own with a
// latency of its own, and checks that each returns the counts of its own documents as
// soon as its own fetches are done. Two calls share nothing: a counter, a table or a
// WaitGroup at package level (the seed's global finished_count) is shared by every call.
func testTwoCalls(t *testing.T, name string, count countFunc) {
	c := loadCorpus(t)
	calls := []struct {
		which   string
		names   []string
		latency time.Duration
	}{
		{"the first call", c.names[:17], latency},
		{"the second call", c.names[17:], 2 * latency},
	}
	what := fmt.Sprintf("%s(%d docs, latency %v) and %s(%d other docs, latency %v), called at the same time",
		name, len(calls[0].names), calls[0].latency, name, len(calls[1].names), calls[1].latency)
	const shared = "State at package level (a var outside the function, like the seed's global " +
		"finished_count) is shared by every call: declare the table, the counter of finished " +
		"goroutines and the WaitGroup inside the function, so that each call has its own."
	bubble(t, what, func(t *testing.T) {
		res := make([]<-chan result, len(calls))
		for i, call := range calls {
			f := &fakeFetcher{docs: c.docs, latency: call.latency}
			res[i] = start(t, count, f, call.names)
		}
		deadline := time.After(fakeLimit)
		for i, call := range calls {
			var r result
			select {
			case r = <-res[i]:
			case <-deadline:
				t.Errorf("%s: %s has not returned after %v of fake time, though its fetches took "+
					"%v: the two calls share what tells a call that its goroutines are done. A "+
					"package-level counter of finished goroutines counts both calls' goroutines "+
					"(%d in all), so it never shows the number one call waits for at the moment "+
					"that call's goroutines are done. %s", what, call.which, fakeLimit, call.latency,
					len(c.names), shared)
				return
			}
			require.NoError(t, r.err, "%s: %s: no fetch fails here", what, call.which)
			docs := map[string][]byte{}
			for _, n := range call.names {
				docs[n] = c.docs[n]
			}
			if want := reference(docs); r.table != want {
				t.Errorf("%s: %s returned counts that are not those of its own %d documents "+
					"(%d letters, want %d; -want +got):\n%s\nThe two calls share a table. %s",
					what, call.which, len(call.names), r.table.Total(), want.Total(),
					cmp.Diff(mapOf(want), mapOf(r.table)), shared)
			}
			if r.elapsed != call.latency {
				t.Errorf("%s: %s took %v of fake time, want %v, the latency of its own fetches: "+
					"it waited for something else, the other call's goroutines if the two share a "+
					"WaitGroup or a counter at package level, or a sleep (the NoPolling test says "+
					"more). %s", what, call.which, r.elapsed, call.latency, shared)
			}
		}
	})
}
