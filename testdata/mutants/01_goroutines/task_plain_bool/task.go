// mutant: IsAlive reads a plain bool that the task's goroutine writes when f returns: a data race, which does not make f's writes visible either; caught by TestTaskIsAlive

package goroutines

type Task struct {
	name  string
	done  chan struct{}
	alive bool
}

func Start(name string, f func()) *Task {
	t := &Task{name: name, done: make(chan struct{}), alive: true}
	go func() {
		f()
		t.alive = false
		close(t.done)
	}()
	return t
}

func (t *Task) Name() string { return t.name }

func (t *Task) Join() { <-t.done }

func (t *Task) IsAlive() bool { return t.alive }
