package pipelines

import (
	"context"
	"iter"
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
	// TODO: stage 1, the reader: a goroutine that ranges over src and sends each item,
	// with its index, on a channel of jobs, then closes it. Every send must also give up
	// when ctx is done (a select with <-ctx.Done()), or the reader waits for ever for
	// workers that have stopped.

	// TODO: stage 2, the workers: max(opt.Workers, 1) goroutines that each range over the
	// jobs, call f and send the result with its index on a channel of results, again in a
	// select with <-ctx.Done(). Close the results channel once every worker has ended
	// (a sync.WaitGroup, waited for in a goroutine of its own).

	// TODO: stage 3, fan-in: a goroutine that receives the results and sends them on the
	// channel Run returns, then closes it. When opt.Ordered is set, keep a result that
	// comes before its turn (a map from index to result) until the ones before it have
	// gone out. Its sends, too, must give up when ctx is done: the consumer may have
	// stopped reading.
	return nil
}
