// mutant: the task's goroutine sends one value on done instead of closing it, so only the first Join returns and the others wait for ever; caught by TestTaskJoin

package goroutines

type Task struct {
	name string
	done chan struct{}
}

func Start(name string, f func()) *Task {
	t := &Task{name: name, done: make(chan struct{}, 1)}
	go func() {
		f()
		t.done <- struct{}{}
	}()
	return t
}

func (t *Task) Name() string { return t.name }

func (t *Task) Join() { <-t.done }

func (t *Task) IsAlive() bool { return len(t.done) == 0 }
