package goroutines

// Task is a function running in a goroutine of its own, with what Python's
// threading.Thread gives: a name, Join and IsAlive. Create one with [Start]; its methods
// may be called from any number of goroutines, any number of times.
type Task struct {
	name string        // Go has no goroutine names (or ids): the Task carries its own
	done chan struct{} // closed by the task's goroutine when f has returned
}

// Start runs f in a new goroutine and returns immediately, without waiting for f: Python's
// Thread(target=f, name=name).start(). Pass arguments to f with a closure:
// Start("loader", func() { load("cat.png") }).
func Start(name string, f func()) *Task {
	t := &Task{name: name, done: make(chan struct{})}
	// The goroutine ends when f returns; closing done (not sending on it) tells every Join, now and later.
	go func() {
		defer close(t.done)
		f()
	}()
	return t
}

// Name returns the name the Task was started with.
func (t *Task) Name() string {
	return t.name
}

// Join blocks until f has returned, without polling, and returns immediately if it already
// has: Python's thread.join(). Everything f did is visible to the caller after Join.
func (t *Task) Join() {
	// A receive from a closed channel returns immediately, for every receiver.
	<-t.done
}

// IsAlive reports whether f is still running: Python's thread.is_alive(). It never
// blocks. Once it has reported false, everything f did is visible to the caller.
func (t *Task) IsAlive() bool {
	// The default case makes the receive a look that never waits.
	select {
	case <-t.done:
		return false
	default:
		return true
	}
}
