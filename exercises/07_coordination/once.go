package coordination

// Lazy holds a value that a set-up function computes on first use, such as a
// connection pool or a parsed configuration. Create one with [NewLazy]; Get may be
// called concurrently.
type Lazy[T any] struct {
	setup func() (T, error)
	// TODO: what makes setup run once, and keeps its results for every caller.
}

// NewLazy returns a Lazy whose value setup computes. NewLazy does not call setup.
func NewLazy[T any](setup func() (T, error)) *Lazy[T] {
	return &Lazy[T]{setup: setup}
}

// Get returns setup's value and error. The first call runs setup; calls made while it
// runs wait for it, and every call, then and later, returns what that one run returned.
// setup never runs twice, not even after it failed.
func (l *Lazy[T]) Get() (T, error) {
	// TODO: run l.setup once, whoever calls first, and return its results to everyone.
	var zero T
	return zero, nil
}
