package goroutines

import (
	"fmt"
	"testing"
)

// benchLoads is how many loads, each in a goroutine of its own, one op of
// BenchmarkLoadAll starts and waits for.
const benchLoads = 100_000

// BenchmarkLoadAll measures what a goroutine costs: LoadAll with a load that does
// nothing, so that an op is 100,000 goroutines started and waited for. impl=serial is
// the baseline: the same calls, one after another, without goroutines. ns/load is the
// time of one op divided by the loads it made.
func BenchmarkLoadAll(b *testing.B) {
	names := imageNames(benchLoads)
	load := func(string) {}
	b.Run(fmt.Sprintf("impl=serial/loads=%d", benchLoads), func(b *testing.B) {
		for b.Loop() {
			for _, name := range names {
				load(name)
			}
		}
		reportPerLoad(b)
	})
	b.Run(fmt.Sprintf("impl=goroutines/loads=%d", benchLoads), func(b *testing.B) {
		for b.Loop() {
			LoadAll(names, load)
		}
		reportPerLoad(b)
	})
}

// BenchmarkStartJoin is Python's Thread(target=f).start() then join(), in Go: one op
// starts one Task and waits for it. impl=call is the baseline, calling f directly.
func BenchmarkStartJoin(b *testing.B) {
	f := func() {}
	b.Run("impl=call", func(b *testing.B) {
		for b.Loop() {
			f()
		}
	})
	b.Run("impl=task", func(b *testing.B) {
		for b.Loop() {
			Start("bench", f).Join()
		}
	})
}

// reportPerLoad adds the ns/load metric: the time of one op divided by its loads.
func reportPerLoad(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchLoads), "ns/load")
}
