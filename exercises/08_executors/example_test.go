package executors

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// ExampleGo runs a task in a goroutine of its own and waits for its result.
func ExampleGo() {
	f := Go(func() (string, error) { return strings.ToUpper("gil-free"), nil })
	var v string
	var err error
	if !returns("f.Result(ctx)", func() { v, err = f.Result(context.Background()) }) {
		return
	}
	fmt.Println(v, err)
	// Output:
	// GIL-FREE <nil>
}

// ExampleSubmit submits tasks to a pool of two workers, each with a buffer its
// initializer built once, and reads the results in the order of submission.
func ExampleSubmit() {
	p := NewPool(2, func() *strings.Builder { return new(strings.Builder) })
	var futures []*Future[string]
	for _, word := range []string{"thread", "pool", "executor"} {
		futures = append(futures, Submit(p, func(buf *strings.Builder) (string, error) {
			buf.Reset() // the worker's own buffer: no other task uses it meanwhile
			buf.WriteString("<" + word + ">")
			return buf.String(), nil
		}))
	}
	for _, f := range futures {
		var v string
		var err error
		if !returns("f.Result(ctx)", func() { v, err = f.Result(context.Background()) }) {
			return
		}
		fmt.Println(v, err)
	}
	returns("p.Shutdown(true, false)", func() { p.Shutdown(true, false) })
	// Output:
	// <thread> <nil>
	// <pool> <nil>
	// <executor> <nil>
}

// ExampleMap squares numbers, at most two at a time, and keeps the input's order.
func ExampleMap() {
	var squares []int
	var err error
	if !returns("Map", func() {
		squares, err = Map(context.Background(), 2, []int{1, 2, 3, 4},
			func(_ context.Context, n int) (int, error) { return n * n, nil })
	}) {
		return
	}
	fmt.Println(squares, err)
	// Output:
	// [1 4 9 16] <nil>
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
