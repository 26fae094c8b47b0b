// mutant: only the first caller runs setup, but the callers that come while it runs do not wait for it and return the zero value; caught by TestOnceConcurrentFirstCalls, TestOnceError

package coordination

import "sync"

// Lazy holds a value that a set-up function computes on first use.
type Lazy[T any] struct {
	setup   func() (T, error)
	mu      sync.Mutex
	started bool
	v       T
	err     error
}

// NewLazy returns a Lazy whose value setup computes. NewLazy does not call setup.
func NewLazy[T any](setup func() (T, error)) *Lazy[T] {
	return &Lazy[T]{setup: setup}
}

// Get returns setup's value and error.
func (l *Lazy[T]) Get() (T, error) {
	l.mu.Lock()
	if l.started {
		defer l.mu.Unlock()
		return l.v, l.err
	}
	l.started = true
	l.mu.Unlock()
	v, err := l.setup()
	l.mu.Lock()
	l.v, l.err = v, err
	l.mu.Unlock()
	return v, err
}
