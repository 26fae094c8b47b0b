// mutant: the tasks go through a channel that Shutdown closes, so a Submit after Shutdown panics with a send on a closed channel, and a second Shutdown panics closing it again; caught by TestShutdownAfter

package executors

import (
	"errors"
	"sync"
)

var ErrShutdown = errors.New("pool is shut down")

var ErrCancelled = errors.New("task cancelled by shutdown")

type Pool[S any] struct {
	max   int
	init  func() S
	tasks chan job[S]
	wg    sync.WaitGroup
}

type job[S any] struct {
	run    func(state S)
	cancel func()
}

func NewPool[S any](maxWorkers int, initializer func() S) *Pool[S] {
	if maxWorkers < 1 {
		panic("executors: NewPool maxWorkers must be at least 1")
	}
	p := &Pool[S]{max: maxWorkers, init: initializer, tasks: make(chan job[S], 1<<16)}
	for range maxWorkers {
		p.wg.Go(p.work)
	}
	return p
}

func Submit[S, T any](p *Pool[S], task func(state S) (T, error)) *Future[T] {
	f := newFuture[T]()
	p.tasks <- job[S]{
		run: func(state S) { f.resolve(call(func() (T, error) { return task(state) })) },
		cancel: func() {
			var zero T
			f.resolve(zero, ErrCancelled)
		},
	}
	return f
}

func (p *Pool[S]) work() {
	var state S
	if p.init != nil {
		state = p.init()
	}
	for j := range p.tasks {
		j.run(state)
	}
}

func (p *Pool[S]) Shutdown(wait, cancelPending bool) {
	if cancelPending {
	drain:
		for {
			select {
			case j := <-p.tasks:
				j.cancel()
			default:
				break drain
			}
		}
	}
	close(p.tasks)
	if wait {
		p.wg.Wait()
	}
}
