// mutant: Get holds a lock around setup but marks it done only when it succeeds, so a failed set-up runs again on every call; caught by TestOnceError

package coordination

import "sync"

// Lazy holds a value that a set-up function computes on first use.
type Lazy[T any] struct {
	setup func() (T, error)
	mu    sync.Mutex
	done  bool
	v     T
}

// NewLazy returns a Lazy whose value setup computes. NewLazy does not call setup.
func NewLazy[T any](setup func() (T, error)) *Lazy[T] {
	return &Lazy[T]{setup: setup}
}

// Get returns setup's value and error.
func (l *Lazy[T]) Get() (T, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done {
		return l.v, nil
	}
	v, err := l.setup()
	if err != nil {
		var zero T
		return zero, err
	}
	l.v, l.done = v, true
	return v, nil
}
