package coordination

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"golang.org/x/sync/semaphore"
)

// pairsPerOp is how many Acquire/Release pairs one op of BenchmarkSemaphore makes, shared
// out among its goroutines; benchPermits is the size of the semaphore they share.
const (
	pairsPerOp   = 8192
	benchPermits = 2
)

// acquirer is what the benchmark needs of a semaphore.
type acquirer interface {
	acquire()
	release()
}

// chanSem is the bare channel semaphore: a send takes a permit, a receive gives it back.
type chanSem chan struct{}

func (s chanSem) acquire() { s <- struct{}{} }
func (s chanSem) release() { <-s }

// weightedSem is golang.org/x/sync/semaphore, one unit per permit.
type weightedSem struct{ w *semaphore.Weighted }

func (s weightedSem) acquire() {
	if err := s.w.Acquire(context.Background(), 1); err != nil {
		panic(err)
	}
}
func (s weightedSem) release() { s.w.Release(1) }

// ourSem is this chapter's Semaphore.
type ourSem struct{ s *Semaphore }

func (s ourSem) acquire() {
	if err := s.s.Acquire(context.Background()); err != nil {
		panic(err)
	}
}

func (s ourSem) release() {
	if err := s.s.Release(); err != nil {
		panic(err)
	}
}

// hammer makes pairs Acquire/Release pairs on s, shared out among goroutines goroutines,
// and returns when they are all done.
func hammer(s acquirer, goroutines, pairs int) {
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range pairs / goroutines {
				s.acquire()
				s.release()
			}
		})
	}
	wg.Wait()
}

// BenchmarkSemaphore times Acquire/Release pairs on a semaphore of 2 permits: sem=chan is
// a bare buffered channel, sem=xsync is golang.org/x/sync/semaphore, sem=semaphore is
// Semaphore. goroutines=1 is the serial baseline, where nothing ever waits; goroutines=8
// share the 2 permits, so most Acquires wait for a Release.
func BenchmarkSemaphore(b *testing.B) {
	sems := []struct {
		name string
		new  func() acquirer
	}{
		{"chan", func() acquirer { return make(chanSem, benchPermits) }},
		{"xsync", func() acquirer { return weightedSem{semaphore.NewWeighted(benchPermits)} }},
		{"semaphore", func() acquirer { return ourSem{NewSemaphore(benchPermits)} }},
	}
	for _, goroutines := range []int{1, 8} {
		for _, sem := range sems {
			b.Run(fmt.Sprintf("sem=%s/goroutines=%d", sem.name, goroutines), func(b *testing.B) {
				for b.Loop() {
					bounded(b, func() { hammer(sem.new(), goroutines, pairsPerOp) })
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*pairsPerOp), "ns/pair")
			})
		}
	}
}

// bounded runs one op under a watchdog, so that a semaphore whose Release never wakes a
// waiting Acquire fails the benchmark with the stuck goroutines instead of hanging it.
func bounded(b *testing.B, op func()) {
	if !guard.Run(b, guard.Limit, fmt.Sprintf("one op of %s (%d pairs)", b.Name(), pairsPerOp), op) {
		b.FailNow()
	}
}
