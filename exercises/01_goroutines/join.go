package goroutines

// LoadAll calls load(name) once for every name in names, each call in a goroutine of
// its own so that the loads wait for the disk at the same time, and returns once every
// call has returned. load must be safe to call from several goroutines at the same time.
func LoadAll(names []string, load func(name string)) {
	for _, name := range names {
		// TODO: count this goroutine before it starts (the wait below must know about it).
		go load(name)
	}
	// TODO: wait here until every goroutine has returned, as Python's thread.join() does;
	// as written, LoadAll returns while the loads are still running.
}
