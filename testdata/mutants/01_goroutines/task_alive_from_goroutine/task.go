// mutant: the task's goroutine marks the task alive only once it starts running, so IsAlive reports false between Start and that moment; caught by TestTaskIsAlive

package goroutines

import "sync/atomic"

type Task struct {
	name  string
	done  chan struct{}
	alive atomic.Bool
}

func Start(name string, f func()) *Task {
	t := &Task{name: name, done: make(chan struct{})}
	go func() {
		t.alive.Store(true)
		defer close(t.done)
		defer t.alive.Store(false)
		f()
	}()
	return t
}

func (t *Task) Name() string { return t.name }

func (t *Task) Join() { <-t.done }

func (t *Task) IsAlive() bool { return t.alive.Load() }
