package goroutines

// Task is a function running in a goroutine of its own, with what Python's
// threading.Thread gives: a name, Join and IsAlive. Create one with [Start]; its methods
// may be called from any number of goroutines, any number of times.
type Task struct {
	name string // Go has no goroutine names (or ids): the Task carries its own
	// TODO: add a channel that the task's goroutine closes when f has returned.
}

// Start runs f in a new goroutine and returns immediately, without waiting for f: Python's
// Thread(target=f, name=name).start(). Pass arguments to f with a closure:
// Start("loader", func() { load("cat.png") }).
func Start(name string, f func()) *Task {
	// TODO: make the channel, and start a goroutine that calls f and then closes it.
	return &Task{name: name}
}

// Name returns the name the Task was started with.
func (t *Task) Name() string {
	return t.name
}

// Join blocks until f has returned, without polling, and returns immediately if it already
// has: Python's thread.join(). Everything f did is visible to the caller after Join.
func (t *Task) Join() {
	// TODO: wait until the channel is closed.
}

// IsAlive reports whether f is still running: Python's thread.is_alive(). It never
// blocks. Once it has reported false, everything f did is visible to the caller.
func (t *Task) IsAlive() bool {
	// TODO: look at the channel without waiting: a select with a default case.
	return false
}
