// mutant: LoadAll waits for each goroutine right after starting it (start, join, start, join): the loads run one after another; caught by TestJoinConcurrent

package goroutines

import "sync"

func LoadAll(names []string, load func(name string)) {
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Go(func() { load(name) })
		wg.Wait()
	}
}
