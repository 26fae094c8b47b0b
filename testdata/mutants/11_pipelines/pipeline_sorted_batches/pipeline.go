// mutant: with Ordered, fan-in gathers one result per worker, sorts the batch by index and sends it, so a slow item comes out after later items that finished in an earlier batch; caught by TestPipelineOrder

package pipelines

import (
	"context"
	"iter"
	"slices"
	"sync"
)

// Options say how Run spreads its work.
type Options struct {
	// Workers is the number of goroutines that call f, so the most calls of f in flight
	// at once. Less than 1 means 1.
	Workers int
	// Ordered asks for the results in the order of their inputs. Without it, a result
	// comes out as soon as it is ready, whatever its input's place.
	Ordered bool
}

// Run is a three-stage pipeline. A reader takes the items of src one after another;
// opt.Workers goroutines call f on them, each on one item at a time (fan-out); and the
// results come out of the returned channel (fan-in), each input's result exactly once,
// in the order of the inputs if opt.Ordered is set.
//
// Run returns at once. Its channel is closed when every result has been received, or
// soon after ctx is done: then every stage stops, pulls no more items from src and ends
// by itself, even if nobody ever receives from the channel again, and the results not
// yet sent are dropped. f gets ctx, to cut a long call short.
func Run[In, Out any](ctx context.Context, src iter.Seq[In], opt Options, f func(context.Context, In) Out) <-chan Out {
	type job struct {
		i int
		v In
	}
	type result struct {
		i int
		v Out
	}
	jobs := make(chan job)
	results := make(chan result)
	out := make(chan Out)

	// Stage 1, the reader: each send also waits for ctx, so a cancel always ends it.
	go func() {
		defer close(jobs)
		i := 0
		for v := range src {
			select {
			case jobs <- job{i, v}:
			case <-ctx.Done():
				return
			}
			i++
		}
	}()

	// Stage 2, the workers end when jobs is closed or ctx is done; the last closes results.
	var wg sync.WaitGroup
	for range max(opt.Workers, 1) {
		wg.Go(func() {
			for j := range jobs {
				select {
				case results <- result{j.i, f(ctx, j.v)}:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	// Stage 3, fan-in: when ordered, it gathers one result per worker, sorts them by index
	// and sends them, a batch at a time.
	go func() {
		defer close(out)
		batch := make([]result, 0, max(opt.Workers, 1))
		flush := func() bool {
			slices.SortFunc(batch, func(a, b result) int { return a.i - b.i })
			for _, r := range batch {
				if !send(ctx, out, r.v) {
					return false
				}
			}
			batch = batch[:0]
			return true
		}
		for r := range results {
			if !opt.Ordered {
				if !send(ctx, out, r.v) {
					return
				}
				continue
			}
			batch = append(batch, r)
			if len(batch) == cap(batch) && !flush() {
				return
			}
		}
		flush()
	}()
	return out
}

// send sends v on out unless ctx is done first, and reports whether it did.
func send[T any](ctx context.Context, out chan<- T, v T) bool {
	select {
	case out <- v:
		return true
	case <-ctx.Done():
		return false
	}
}
