// mutant: Join polls IsAlive and sleeps between looks instead of waiting on the channel; caught by TestTaskJoin

package goroutines

import "time"

type Task struct {
	name string
	done chan struct{}
}

func Start(name string, f func()) *Task {
	t := &Task{name: name, done: make(chan struct{})}
	go func() {
		defer close(t.done)
		f()
	}()
	return t
}

func (t *Task) Name() string { return t.name }

func (t *Task) Join() {
	for t.IsAlive() {
		time.Sleep(10 * time.Millisecond)
	}
}

func (t *Task) IsAlive() bool {
	select {
	case <-t.done:
		return false
	default:
		return true
	}
}
