package goroutines

import (
	"fmt"
	"testing"
)

// BenchmarkLoadAll measures what a goroutine costs: LoadAll with a load that does
// nothing, so that an op is loads goroutines started and waited for. impl=serial is the
// baseline: the same calls, one after another, without goroutines. ns/load is the time
// of one op divided by its loads: with impl=goroutines, the cost of one goroutine.
// loads=100000 has up to 100,000 goroutines alive at once, each with its own stack.
func BenchmarkLoadAll(b *testing.B) {
	load := func(string) {}
	for _, loads := range []int{100, 100_000} {
		names := imageNames(loads)
		b.Run(fmt.Sprintf("impl=serial/loads=%d", loads), func(b *testing.B) {
			for b.Loop() {
				for _, name := range names {
					load(name)
				}
			}
			reportPerLoad(b, loads)
		})
		b.Run(fmt.Sprintf("impl=goroutines/loads=%d", loads), func(b *testing.B) {
			for b.Loop() {
				LoadAll(names, load)
			}
			reportPerLoad(b, loads)
		})
	}
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
func reportPerLoad(b *testing.B, loads int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*loads), "ns/load")
}
