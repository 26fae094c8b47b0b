package async

import (
	"context"
	"fmt"
)

// ExampleGather is the seed's two eggs boiled as tasks, in Go: each task starts as soon
// as Gather starts it (no event loop waits for an await), and the results come back in
// the order of the tasks.
func ExampleGather() {
	boil := func(egg int) func(context.Context) (string, error) {
		return func(ctx context.Context) (string, error) {
			return fmt.Sprintf("egg %d done", egg), nil
		}
	}
	eggs, err := Gather(context.Background(), boil(1), boil(2), boil(3))
	fmt.Println(eggs, err)
	// Output: [egg 1 done egg 2 done egg 3 done] <nil>
}

// ExampleFirst asks two replicas: one answers at once, the other would wait until its
// context is cancelled. First returns the answer and cancels the loser, which stops.
func ExampleFirst() {
	fast := func(ctx context.Context) (string, error) { return "fast answer", nil }
	stuck := func(ctx context.Context) (string, error) {
		<-ctx.Done() // a request that never gets an answer, until it is cancelled
		return "", ctx.Err()
	}
	answer, err := First(context.Background(), stuck, fast)
	fmt.Println(answer, err)
	// Output: fast answer <nil>
}
