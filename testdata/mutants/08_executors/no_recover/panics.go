// mutant: call does not recover, so a task that panics kills the whole program, pool and all; caught by TestPanicGo, TestPanicPool

package executors

import (
	"fmt"
)

// PanicError is the error of a future whose task panicked: Python's executor stores a
// task's exception in its future, and result() raises it in the caller.
type PanicError struct {
	Value any    // what the task passed to panic
	Stack string // the stack of the goroutine that panicked, taken where it panicked
}

// Error says that the task panicked, and with what.
func (e *PanicError) Error() string {
	return fmt.Sprintf("task panicked: %v", e.Value)
}

// Unwrap returns the panic value if it is an error, so that errors.Is and errors.As see
// through the panic.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// call runs task and returns what it returns. If task panics, call returns the zero value
// and a *PanicError holding the panic value and the stack where it panicked, and the
// goroutine that called it goes on.
func call[T any](task func() (T, error)) (v T, err error) {
	// A deferred recover stops the panic in this goroutine; the stack is still there.
	return task()
}
