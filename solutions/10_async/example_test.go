package async

import (
	"context"
	"fmt"
	"time"
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
	var eggs []string
	var err error
	if !returns("Gather", func() { eggs, err = Gather(context.Background(), boil(1), boil(2), boil(3)) }) {
		return
	}
	fmt.Println(eggs, err)
	// Output: [egg 1 done egg 2 done egg 3 done] <nil>
}

// ExampleFirst asks two replicas: one answers immediately, the other would wait until its
// context is cancelled. First returns the answer and cancels the loser, which stops.
func ExampleFirst() {
	fast := func(ctx context.Context) (string, error) { return "fast answer", nil }
	stuck := func(ctx context.Context) (string, error) {
		<-ctx.Done() // a request that never gets an answer, until it is cancelled
		return "", ctx.Err()
	}
	var answer string
	var err error
	if !returns("First", func() { answer, err = First(context.Background(), stuck, fast) }) {
		return
	}
	fmt.Println(answer, err)
	// Output: fast answer <nil>
}

// exampleLimit is the real time an example waits for a call. Examples run outside the
// tests' guard: a call that never returns must fail its example, not hang the run.
const exampleLimit = 5 * time.Second

// returns calls f and reports whether it returned within exampleLimit. If it did not, it
// prints a line saying so, which fails the example's // Output: check, and leaves f
// running.
func returns(what string, f func()) bool {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return true
	case <-time.After(exampleLimit):
		fmt.Printf("%s did not return within %v: it is stuck (the exercise's tests show where)\n", what, exampleLimit)
		return false
	}
}
