package executors

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime"
	"testing"

	"golang.org/x/sync/errgroup"
)

// tasksPerOp is how many tasks one op of each benchmark runs.
const tasksPerOp = 10_000

// runner runs n tasks, each calling task, and returns when they have all finished.
type runner func(n int, task func() (int, error))

// runners are the ways the benchmarks run tasks: impl=serial calls them one after
// another on the benchmark's goroutine (the baseline), impl=goroutines starts a goroutine
// and a future per task with Go, impl=errgroup uses an errgroup.Group with SetLimit, and
// impl=pool submits them to a Pool. errgroup and the pool run GOMAXPROCS at a time.
var runners = []struct {
	name string
	run  runner
}{
	{"serial", func(n int, task func() (int, error)) {
		for range n {
			task()
		}
	}},
	{"goroutines", func(n int, task func() (int, error)) {
		futures := make([]*Future[int], n)
		for i := range futures {
			futures[i] = Go(task)
		}
		for _, f := range futures {
			f.Result(context.Background())
		}
	}},
	{"errgroup", func(n int, task func() (int, error)) {
		var g errgroup.Group
		g.SetLimit(runtime.GOMAXPROCS(0))
		for range n {
			g.Go(func() error {
				_, err := task()
				return err
			})
		}
		g.Wait()
	}},
	{"pool", func(n int, task func() (int, error)) {
		p := NewPool(runtime.GOMAXPROCS(0), func() struct{} { return struct{}{} })
		futures := make([]*Future[int], n)
		for i := range futures {
			futures[i] = Submit(p, func(struct{}) (int, error) { return task() })
		}
		for _, f := range futures {
			f.Result(context.Background())
		}
		p.Shutdown(true, false)
	}},
}

// BenchmarkOverhead runs empty tasks: what it measures is the cost of running a task at
// all, in ns/task. Python's ThreadPoolExecutor spends tens of µs per task; the pool
// should stay under 1 µs.
func BenchmarkOverhead(b *testing.B) {
	empty := func() (int, error) { return 0, nil }
	for _, r := range runners {
		b.Run("impl="+r.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r.run(tasksPerOp, empty)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*tasksPerOp), "ns/task")
		})
	}
}

// cpuTasks is how many CPU-bound tasks one op of BenchmarkCPU runs, and cpuBytes how many
// bytes each one hashes.
const (
	cpuTasks = 64
	cpuBytes = 64 << 10
)

// BenchmarkCPU runs CPU-bound tasks, each a SHA-256 of 64 KiB. Run with -cpu 1,2: with two
// CPUs the pool hashes about twice the bytes per second it does with one. Go has no GIL:
// goroutines run Go code on every CPU at once, which Python threads cannot.
func BenchmarkCPU(b *testing.B) {
	data := make([]byte, cpuBytes)
	hash := func() (int, error) {
		sum := sha256.Sum256(data)
		return int(sum[0]), nil
	}
	for _, r := range runners {
		b.Run(fmt.Sprintf("impl=%s", r.name), func(b *testing.B) {
			b.SetBytes(cpuTasks * cpuBytes)
			for b.Loop() {
				r.run(cpuTasks, hash)
			}
		})
	}
}
