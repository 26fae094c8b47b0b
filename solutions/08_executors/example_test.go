package executors

import (
	"context"
	"fmt"
	"strings"
)

// ExampleGo runs a task in a goroutine of its own and waits for its result.
func ExampleGo() {
	f := Go(func() (string, error) { return strings.ToUpper("gil-free"), nil })
	v, err := f.Result(context.Background())
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
		v, err := f.Result(context.Background())
		fmt.Println(v, err)
	}
	p.Shutdown(true, false)
	// Output:
	// <thread> <nil>
	// <pool> <nil>
	// <executor> <nil>
}

// ExampleMap squares numbers, at most two at a time, and keeps the input's order.
func ExampleMap() {
	squares, err := Map(context.Background(), 2, []int{1, 2, 3, 4},
		func(_ context.Context, n int) (int, error) { return n * n, nil })
	fmt.Println(squares, err)
	// Output:
	// [1 4 9 16] <nil>
}
