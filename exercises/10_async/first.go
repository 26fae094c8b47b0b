package async

import "context"

// First runs every replica at once and returns the result of the first one to succeed:
// the same request sent to several servers, the fastest answer wins. As soon as one
// replica succeeds, First cancels the context of the others, and it returns only after
// they have all returned, so that no replica is left running or blocked. If every
// replica fails, First returns the zero T and an error that wraps every replica's error
// (errors.Join). It needs at least one replica.
//
// A replica must return soon after its context is done, with an error that wraps
// ctx.Err().
func First[T any](ctx context.Context, replicas ...func(context.Context) (T, error)) (T, error) {
	// TODO: run each replica on a goroutine with a context you can cancel, and have it send
	// its result on a channel with room for every result; take the first success, cancel
	// the rest, and receive every result before returning. Join the errors if none wins.
	var zero T
	return zero, nil
}
