package pipelines

import (
	"fmt"
	"sync"
	"time"
)

// ExampleManager counts visits from four goroutines in a map that only the Manager's
// owner goroutine touches.
func ExampleManager() {
	m := NewManager()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 25 {
				m.Add("visits", 1)
			}
		})
	}
	if !returns("100 calls of m.Add from four goroutines", wg.Wait) {
		return
	}
	var visits int
	var ok bool
	var snapshot map[string]int
	if !returns("m.Get, m.Set and m.Snapshot", func() {
		visits, ok = m.Get("visits")
		m.Set("workers", 4)
		snapshot = m.Snapshot()
	}) {
		return
	}
	fmt.Println(visits, ok)
	fmt.Println(snapshot)
	returns("m.Close()", m.Close)
	// Output:
	// 100 true
	// map[visits:100 workers:4]
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
