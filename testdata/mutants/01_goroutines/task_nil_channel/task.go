// mutant: Start never makes the done channel (nor closes it), so Join waits on a nil channel for ever and IsAlive always reports true; caught by TestTaskJoin, TestTaskIsAlive, ExampleStart

package goroutines

type Task struct {
	name string
	done chan struct{}
}

func Start(name string, f func()) *Task {
	go f()
	return &Task{name: name}
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
