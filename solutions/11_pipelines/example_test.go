package pipelines

import (
	"fmt"
	"sync"
)

// ExampleManager counts visits from four goroutines in a map that only the Manager's
// owner goroutine touches.
func ExampleManager() {
	m := NewManager()
	defer m.Close()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 25 {
				m.Add("visits", 1)
			}
		})
	}
	wg.Wait()
	fmt.Println(m.Get("visits"))
	m.Set("workers", 4)
	fmt.Println(m.Snapshot())
	// Output:
	// 100 true
	// map[visits:100 workers:4]
}
