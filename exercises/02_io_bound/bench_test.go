package iobound

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// The benchmarks fetch the corpus over HTTP from a loopback server that answers each
// request after 50ms: I/O-bound work, where the CPU idles while a fetch waits. Run them
// without -race:
//
//	go test -run '^$' -bench . -cpu 1,2 ./solutions/02_io_bound
//
// impl=serial/docs=1 is one fetch, the unit; impl=serial/docs=20 is FetchSerial, the
// seed's loop (about 20 units); the concurrent versions take about one unit for twenty
// documents (impl=bounded5, five at a time, four units).

const benchLatency = 50 * time.Millisecond

// BenchmarkFetchHTTP fetches docs documents per op from the loopback server.
func BenchmarkFetchHTTP(b *testing.B) {
	c := loadCorpus(b)
	fetch := startServer(b, c, benchLatency)
	impls := []struct {
		name string
		docs int
		run  func(ctx context.Context, names []string) error
	}{
		{"serial", 1, func(ctx context.Context, names []string) error {
			_, err := FetchSerial(ctx, fetch, names)
			return err
		}},
		{"serial", 20, func(ctx context.Context, names []string) error {
			_, err := FetchSerial(ctx, fetch, names)
			return err
		}},
		{"each", 20, func(ctx context.Context, names []string) error {
			for _, r := range FetchEach(ctx, fetch, names, time.Minute) {
				if r.Err != nil {
					return r.Err
				}
			}
			return nil
		}},
		{"all", 20, func(ctx context.Context, names []string) error {
			_, err := FetchAll(ctx, fetch, names)
			return err
		}},
		{"bounded5", 20, func(ctx context.Context, names []string) error {
			_, err := FetchBounded(ctx, fetch, names, 5)
			return err
		}},
	}
	for _, impl := range impls {
		b.Run(fmt.Sprintf("impl=%s/docs=%d", impl.name, impl.docs), func(b *testing.B) {
			names := c.names[:impl.docs]
			for b.Loop() {
				// The watchdog costs a goroutine and a timer next to 50ms of waiting; it stops
				// a starting FetchAll that returns nothing from passing for a fast one.
				var err error
				if !guard.Run(b, limit, b.Name(), func() { err = impl.run(b.Context(), names) }) {
					b.FailNow()
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
