package async

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"golang.org/x/sync/errgroup"
)

// fanOutTasks is how many tasks one op of BenchmarkFanOut runs.
const fanOutTasks = 10_000

// tinyTask is a task that does a little arithmetic and never waits: what one op measures
// is mostly what starting, running and waiting for a task costs.
func tinyTask(i int) func(context.Context) (int, error) {
	return func(context.Context) (int, error) {
		s := i
		for j := range 64 {
			s = s*31 + j
		}
		return s, nil
	}
}

// BenchmarkFanOut runs 10,000 tiny tasks per op and reports ns/task. impl=serial is the
// baseline: one call after another, no goroutine. impl=semaphore is a loop that starts a
// goroutine per task but keeps at most GOMAXPROCS running (a channel semaphore and a
// WaitGroup). impl=errgroup starts a goroutine per task with errgroup.Group.Go, unbounded;
// impl=errgroup_limit bounds it with SetLimit(GOMAXPROCS). impl=gather is your Gather, which
// also collects the results in order.
func BenchmarkFanOut(b *testing.B) {
	tasks := make([]func(context.Context) (int, error), fanOutTasks)
	for i := range tasks {
		tasks[i] = tinyTask(i)
	}
	ctx := context.Background()
	impls := []struct {
		name string
		run  func()
	}{
		{"serial", func() {
			for _, task := range tasks {
				if _, err := task(ctx); err != nil {
					b.Fatal(err)
				}
			}
		}},
		{"semaphore", func() {
			sem := make(chan struct{}, runtime.GOMAXPROCS(0))
			var wg sync.WaitGroup
			for _, task := range tasks {
				sem <- struct{}{}
				wg.Go(func() {
					defer func() { <-sem }()
					_, _ = task(ctx)
				})
			}
			wg.Wait()
		}},
		{"errgroup", func() {
			var g errgroup.Group
			for _, task := range tasks {
				g.Go(func() error {
					_, err := task(ctx)
					return err
				})
			}
			if err := g.Wait(); err != nil {
				b.Fatal(err)
			}
		}},
		{"errgroup_limit", func() {
			var g errgroup.Group
			g.SetLimit(runtime.GOMAXPROCS(0))
			for _, task := range tasks {
				g.Go(func() error {
					_, err := task(ctx)
					return err
				})
			}
			if err := g.Wait(); err != nil {
				b.Fatal(err)
			}
		}},
		{"gather", func() {
			got, err := Gather(ctx, tasks...)
			if err != nil || len(got) != len(tasks) {
				b.Fatalf("Gather(ctx, %d tasks) = (%d results, %v), want %d results and no error",
					len(tasks), len(got), err, len(tasks))
			}
		}},
	}
	for _, impl := range impls {
		b.Run(fmt.Sprintf("impl=%s/tasks=%d", impl.name, fanOutTasks), func(b *testing.B) {
			for b.Loop() {
				impl.run()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*fanOutTasks), "ns/task")
		})
	}
}
