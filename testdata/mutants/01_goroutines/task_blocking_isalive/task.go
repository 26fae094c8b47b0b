// mutant: IsAlive waits on the channel without a default case, so it blocks until f returns and then always reports false; caught by TestTaskIsAlive

package goroutines

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

func (t *Task) Join() { <-t.done }

func (t *Task) IsAlive() bool {
	<-t.done
	return false
}
