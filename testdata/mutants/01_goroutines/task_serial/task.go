// mutant: Start calls f itself and returns only when f has returned, like thread.run() instead of thread.start(); caught by TestTaskStart, TestTaskJoin, TestTaskIsAlive

package goroutines

type Task struct {
	name string
	done chan struct{}
}

func Start(name string, f func()) *Task {
	t := &Task{name: name, done: make(chan struct{})}
	f()
	close(t.done)
	return t
}

func (t *Task) Name() string { return t.name }

func (t *Task) Join() { <-t.done }

func (t *Task) IsAlive() bool {
	select {
	case <-t.done:
		return false
	default:
		return true
	}
}
