// mutant: Get checks a done flag under the lock but runs setup after unlocking, so every caller that comes before the first run ends runs setup again; caught by TestOnceConcurrentFirstCalls, TestOnceError

package coordination

import "sync"

// Lazy holds a value that a set-up function computes on first use.
type Lazy[T any] struct {
	setup func() (T, error)
	mu    sync.Mutex
	done  bool
	v     T
	err   error
}

// NewLazy returns a Lazy whose value setup computes. NewLazy does not call setup.
func NewLazy[T any](setup func() (T, error)) *Lazy[T] {
	return &Lazy[T]{setup: setup}
}

// Get returns setup's value and error.
func (l *Lazy[T]) Get() (T, error) {
	l.mu.Lock()
	done := l.done
	l.mu.Unlock()
	if !done {
		v, err := l.setup()
		l.mu.Lock()
		l.v, l.err, l.done = v, err, true
		l.mu.Unlock()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.v, l.err
}
