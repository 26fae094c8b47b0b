// mutant: wg.Add(1) inside the go func: when Wait runs before any goroutine has, the counter is still 0 and Wait returns at once; caught by TestJoinWaitsForUnstarted

package goroutines

import "sync"

func LoadAll(names []string, load func(name string)) {
	var wg sync.WaitGroup
	for _, name := range names {
		go func() {
			wg.Add(1)
			defer wg.Done()
			load(name)
		}()
	}
	wg.Wait()
}
