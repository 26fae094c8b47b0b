package pipelines

import (
	"context"
	"fmt"
	"iter"
	"slices"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// endless is how many items an "endless" source yields: enough that only a pipeline
// that goes on pulling items after a cancel ever comes to its end.
const endless = 10_000

// count yields 0, 1, ... n-1, or endless items if n < 0, and counts the items pulled.
func count(n int, pulled *atomic.Int64) iter.Seq[int] {
	if n < 0 {
		n = endless
	}
	return func(yield func(int) bool) {
		for i := 0; i < n; i++ {
			pulled.Add(1)
			if !yield(i) {
				return
			}
		}
	}
}

// square returns an f for Run that takes latency(i) of fake time (or until ctx is done)
// to square i, and counts its calls in flight on g.
func square(g *gauge, latency func(i int) time.Duration) func(context.Context, int) int {
	return func(ctx context.Context, i int) int {
		g.enter()
		defer g.leave()
		timer := time.NewTimer(latency(i))
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
		}
		return i * i
	}
}

// squares returns the squares of 0 … n-1.
func squares(n int) []int {
	want := make([]int, n)
	for i := range want {
		want[i] = i * i
	}
	return want
}

// pipeline is one call of Run in a test, with what it says about itself.
type pipeline struct {
	what   string
	out    <-chan int
	g      *gauge
	pulled *atomic.Int64
}

// start calls Run on n items (n < 0: an endless source), each squared in latency(i) of
// fake time.
func start(t *testing.T, ctx context.Context, n int, opt Options, latency func(int) time.Duration, how string) pipeline {
	t.Helper()
	items := fmt.Sprintf("%d items", n)
	if n < 0 {
		items = "an endless source"
	}
	p := pipeline{
		what:   fmt.Sprintf("Run(%s, Options{Workers: %d, Ordered: %v}, f taking %s)", items, opt.Workers, opt.Ordered, how),
		g:      &gauge{},
		pulled: &atomic.Int64{},
	}
	p.out = Run(ctx, count(n, p.pulled), opt, square(p.g, latency))
	if p.out == nil {
		t.Fatalf("%s returned a nil channel: make the output channel, start the stages in goroutines "+
			"of their own, and return the channel at once", p.what)
	}
	return p
}

// receive takes the results of p until its channel is closed, and reports whether it was
// closed within fakeLimit.
func (p pipeline) receive() (got []int, closed bool) {
	deadline := time.After(fakeLimit)
	for {
		select {
		case v, ok := <-p.out:
			if !ok {
				return got, true
			}
			got = append(got, v)
		case <-deadline:
			return got, false
		}
	}
}

// checkEnded fails t if goroutines of the bubble are left, once the pipeline's channel is
// closed.
func checkEnded(t *testing.T, what string) {
	t.Helper()
	synctest.Wait()
	if left := leftBehind(); len(left) > 0 {
		t.Errorf("%s closed its channel, but %s\nEvery goroutine Run starts must end by the time its "+
			"last result is out: the reader at the end of src, the workers when the jobs channel is "+
			"closed, fan-in when the results channel is closed.", what, describe(left))
	}
}

// checkAll receives every result of p and checks them, in order if ordered.
func checkAll(t *testing.T, p pipeline, n, workers int, ordered bool) {
	t.Helper()
	got, closed := p.receive()
	if !closed {
		synctest.Wait()
		t.Fatalf("%s: its channel was still open %v of fake time after it started, with %d of %d "+
			"results received: close the output channel once every worker has ended (fan-in: a "+
			"sync.WaitGroup for the workers, then close). Goroutines still there: %s",
			p.what, fakeLimit, len(got), n, describe(leftBehind()))
	}
	want := squares(n)
	sorted := slices.Sorted(slices.Values(got))
	if diff := cmp.Diff(want, sorted, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s: the results, sorted, differ from the squares of 0 … %d (-want +got):\n%s\n%s",
			p.what, n-1, diff, lostOrExtra(len(got), n, workers))
	} else if ordered && !slices.Equal(want, got) {
		t.Errorf("%s = %v, want %v: the results did not come out in the order of their inputs. "+
			"With Ordered, fan-in must hold a result that comes early until every one before it "+
			"has gone out, however many come early: sorting each batch of results that are ready "+
			"lets a slow item come out after later ones.", p.what, got, want)
	}
	if _, calls := p.g.stats(); calls != n {
		t.Errorf("%s called f %d times, want %d: once per item", p.what, calls, n)
	}
	checkEnded(t, p.what)
}

func lostOrExtra(got, want, workers int) string {
	switch {
	case got < want:
		return fmt.Sprintf("%d results were lost. Was the output closed before the last worker "+
			"had sent its result (close after every worker has ended: a sync.WaitGroup), or a "+
			"result that came before its turn never sent (empty that buffer each time the one "+
			"it waits for comes)?", want-got)
	case got > want:
		return fmt.Sprintf("%d results too many: an item went to more than one worker, or a "+
			"result was sent twice. Each of the %d workers takes its items from one shared channel.",
			got-want, workers)
	}
	return "The same number of results as items, but not the same results."
}

func TestPipelineItems(t *testing.T) {
	tests := []struct {
		name string
		n    int
		opt  Options
	}{
		{name: "workers4", n: 40, opt: Options{Workers: 4}},
		{name: "zero_options", n: 5, opt: Options{}},
		{name: "empty", n: 0, opt: Options{Workers: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			latency := func(i int) time.Duration { return time.Duration(i*7%5+1) * 10 * time.Millisecond }
			guard.Bubble(t, limit, "Run", func(t *testing.T) {
				p := start(t, t.Context(), tt.n, tt.opt, latency, "10ms to 50ms")
				checkAll(t, p, tt.n, max(tt.opt.Workers, 1), false)
			})
		})
	}
}

func TestPipelineOrder(t *testing.T) {
	const n, workers = 24, 4
	tests := []struct {
		name    string
		latency func(i int) time.Duration
		how     string
	}{
		// The first items take longest: they finish last unless the pipeline waits for them.
		{name: "earlier_slower", how: "longer for earlier items",
			latency: func(i int) time.Duration { return time.Duration(n-i) * 10 * time.Millisecond }},
		// One slow item: every later one is ready long before it, in any batch of results.
		{name: "first_slow", how: "1s for item 0, 10ms for the others",
			latency: func(i int) time.Duration {
				if i == 0 {
					return time.Second
				}
				return 10 * time.Millisecond
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			guard.Bubble(t, limit, "Run with Ordered", func(t *testing.T) {
				p := start(t, t.Context(), n, Options{Workers: workers, Ordered: true}, tt.latency, tt.how)
				checkAll(t, p, n, workers, true)
			})
		})
	}
}

func TestPipelineFanOut(t *testing.T) {
	const n, workers, latency = 12, 3, 100 * time.Millisecond
	for _, ordered := range []bool{false, true} {
		t.Run(fmt.Sprintf("ordered=%v", ordered), func(t *testing.T) {
			guard.Bubble(t, limit, "Run", func(t *testing.T) {
				start0 := time.Now()
				p := start(t, t.Context(), n, Options{Workers: workers, Ordered: ordered},
					func(int) time.Duration { return latency }, latency.String())
				got, closed := p.receive()
				elapsed := time.Since(start0)
				if !closed {
					t.Fatalf("%s: its channel was still open after %v of fake time, with %d of %d "+
						"results received: close the output once every worker has ended",
						p.what, fakeLimit, len(got), n)
				}
				switch peak, _ := p.g.stats(); {
				case peak <= 1:
					t.Errorf("%s took %v of fake time, want %v: f ran on one item at a time. Start "+
						"%d worker goroutines that take their items from one channel of jobs.",
						p.what, elapsed, n/workers*latency, workers)
				case peak > workers:
					t.Errorf("%s had %d calls of f in flight at once, want at most %d: the pipeline "+
						"must not run more than Workers at once (a goroutine per item is unbounded "+
						"fan-out). Start exactly %d workers that share one channel of jobs.",
						p.what, peak, workers, workers)
				case peak < workers:
					t.Errorf("%s had at most %d calls of f in flight at once, want %d: a worker sat "+
						"idle while items were waiting. Each worker takes the next item as soon as it "+
						"has sent its result; with Ordered, keep the results that come early instead of "+
						"making their workers wait.", p.what, peak, workers)
				}
			})
		})
	}
}

// pulledAfterCancel is how many items the reader may still take from src after a cancel
// while the consumer goes on reading: a select between a ready send and a ready
// <-ctx.Done() picks either, so the reader may go on for a few rounds.
const pulledAfterCancel = 1000

func TestPipelineCancel(t *testing.T) {
	const workers, before, after = 3, 5, 100
	for _, ordered := range []bool{false, true} {
		t.Run(fmt.Sprintf("ordered=%v", ordered), func(t *testing.T) {
			guard.Bubble(t, limit, "Run", func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				p := start(t, ctx, -1, Options{Workers: workers, Ordered: ordered},
					func(int) time.Duration { return 10 * time.Millisecond }, "10ms")
				what := p.what + fmt.Sprintf(", ctx cancelled after %d results", before)
				received, late, atCancel := 0, 0, int64(0)
				deadline := time.After(fakeLimit)
				for {
					select {
					case _, ok := <-p.out:
						if !ok {
							checkEnded(t, what)
							if extra := p.pulled.Load() - atCancel; extra > pulledAfterCancel {
								t.Errorf("%s: the reader took %d more items from src after the cancel, "+
									"want it to stop taking them: it must return once ctx is done, not "+
									"go on reading the source and dropping what it reads", what, extra)
							}
							return
						}
						received++
						if received == before {
							cancel()
							atCancel = p.pulled.Load()
						} else if received > before {
							late++
						}
						if late > after {
							t.Fatalf("%s: %d results came after the cancel, and more keep coming, "+
								"want the channel closed soon after it: the stages do not watch ctx. "+
								"The reader must stop taking items from src once ctx is done (its send "+
								"in a select with <-ctx.Done()), and so must every other stage.", what, late)
						}
					case <-deadline:
						synctest.Wait()
						t.Fatalf("%s: the channel was still open %v of fake time later, with the "+
							"consumer still reading: %s\nOnce ctx is done, every stage must stop and end "+
							"by itself, and the last one close the output.", what, fakeLimit, describe(leftBehind()))
					}
				}
			})
		})
	}
}

func TestPipelineConsumerStops(t *testing.T) {
	const n, workers, taken = 100, 3, 3
	for _, ordered := range []bool{false, true} {
		t.Run(fmt.Sprintf("ordered=%v", ordered), func(t *testing.T) {
			guard.Bubble(t, limit, "Run", func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				p := start(t, ctx, n, Options{Workers: workers, Ordered: ordered},
					func(int) time.Duration { return 10 * time.Millisecond }, "10ms")
				what := p.what + fmt.Sprintf(": the consumer took %d results, stopped reading, and "+
					"cancelled ctx a second later", taken)
				for i := range taken {
					select {
					case _, ok := <-p.out:
						if !ok {
							t.Fatalf("%s: the channel was closed after %d results, want %d", p.what, i, n)
						}
					case <-time.After(fakeLimit):
						t.Fatalf("%s: no result %d after %v of fake time", p.what, i+1, fakeLimit)
					}
				}
				// The consumer stops reading: meanwhile every stage fills up and waits in a send.
				time.Sleep(time.Second)
				cancel()
				atCancel := p.pulled.Load()
				synctest.Wait() // every goroutine that can end without the consumer has ended
				if left := leftBehind(); len(left) > 0 {
					t.Errorf("%s; then %s\nA stage that sends to a consumer who has stopped "+
						"reading, or to a stage that has stopped, waits for ever: put every send of "+
						"every stage in a select with <-ctx.Done().", what, describe(left))
					return
				}
				// Every goroutine of Run has ended: the channel holds what it buffered, if
				// anything, and must then be closed.
			drain:
				for {
					select {
					case _, ok := <-p.out:
						if !ok {
							break drain
						}
					default:
						t.Errorf("%s; then every goroutine of Run ended, but the output channel "+
							"is still open: close it when the stages have stopped (a defer "+
							"close(out) in fan-in)", what)
						return
					}
				}
				if extra := p.pulled.Load() - atCancel; extra > workers {
					t.Errorf("%s; the reader took %d more items from src after the cancel, want it "+
						"to stop taking them: it must return once ctx is done, not go on reading the "+
						"source and dropping what it reads", what, extra)
				}
			})
		})
	}
}
