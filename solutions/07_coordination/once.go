package coordination

import "sync"

// Lazy holds a value that a set-up function computes on first use, such as a
// connection pool or a parsed configuration. Create one with [NewLazy]; Get may be
// called concurrently.
type Lazy[T any] struct {
	get func() (T, error) // sync.OnceValues(setup): runs setup once and keeps its results
}

// NewLazy returns a Lazy whose value setup computes. NewLazy does not call setup.
func NewLazy[T any](setup func() (T, error)) *Lazy[T] {
	// OnceValues runs setup once, and every call waits for it and gets its results.
	return &Lazy[T]{get: sync.OnceValues(setup)}
}

// Get returns setup's value and error. The first call runs setup; calls made while it
// runs wait for it, and every call, then and later, returns what that one run returned.
// setup never runs twice, not even after it failed.
func (l *Lazy[T]) Get() (T, error) {
	// The first call runs setup; the others wait on the Once inside l.get, then share its results.
	return l.get()
}
