package goroutines

import "sync"

// LoadAll calls load(name) once for every name in names, each call in a goroutine of
// its own so that the loads wait for the disk at the same time, and returns once every
// call has returned. load must be safe to call from several goroutines at the same time.
func LoadAll(names []string, load func(name string)) {
	var wg sync.WaitGroup
	for _, name := range names {
		// wg.Go counts the goroutine before starting it, so the Wait below cannot miss it.
		wg.Go(func() { load(name) })
	}
	// Python's thread.join(), for all of them: every goroutine has returned after Wait.
	wg.Wait()
}
