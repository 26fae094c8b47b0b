package goroutines

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

func TestInOrderResults(t *testing.T) {
	t.Run("slowest_first", func(t *testing.T) {
		const n = 6
		what := fmt.Sprintf("LoadImages(%d names, the load of names[i] taking %d-i seconds)", n, n)
		guard.Bubble(t, limit, what, func(t *testing.T) {
			names := imageNames(n)
			l := &loader{latency: func(name string) time.Duration {
				return time.Duration(n-slices.Index(names, name)) * time.Second
			}}
			got := LoadImages(names, l.image)
			s := l.stats()
			if len(s.started) == 0 {
				t.Errorf("%s returned %v without calling load: start a goroutine per name that "+
					"calls load(name) and stores the image at the name's index.", what, got)
				return
			}
			if len(s.finished) < n {
				t.Errorf("%s returned %d images while %d of its %d loads had not finished: wait "+
					"for every goroutine before returning the images (a sync.WaitGroup: wg.Go in "+
					"the loop, wg.Wait() after it).", what, len(got), n-len(s.finished), n)
				letLeftoversFinish()
				return
			}
			var want []Image
			for _, name := range names {
				want = append(want, imageOf(name))
			}
			diff := cmp.Diff(want, got)
			switch {
			case diff == "":
			case len(got) == n && !slices.Equal(names, s.finished) && sameImages(want, got):
				t.Errorf("%s mismatch (-want +got): every image is there, out of order. The "+
					"loads finished in the order %v; images[i] must be load(names[i]). Appending "+
					"each image as it arrives (from a channel) puts them in the order the loads "+
					"finished: give each goroutine its index i and let it write images[i].\n%s",
					what, s.finished, diff)
			default:
				t.Errorf("%s mismatch (-want +got): return one image per name, images[i] = "+
					"load(names[i]):\n%s", what, diff)
			}
		})
	})
	t.Run("no_names", func(t *testing.T) {
		const what = "LoadImages(no names)"
		guard.Bubble(t, limit, what, func(t *testing.T) {
			l := sameLatency(latency)
			got := LoadImages(nil, l.image)
			if len(got) != 0 {
				t.Errorf("%s = %v, want no images", what, got)
			}
			if s := l.stats(); len(s.started) > 0 {
				t.Errorf("%s called load for %q, want no call", what, s.started)
			}
		})
	})
}

// sameImages reports whether a and b hold the same images, in any order.
func sameImages(a, b []Image) bool {
	byName := func(x, y Image) int { return strings.Compare(x.Name, y.Name) }
	return slices.Equal(slices.SortedFunc(slices.Values(a), byName), slices.SortedFunc(slices.Values(b), byName))
}

func TestInOrderConcurrent(t *testing.T) {
	const n = 6
	what := fmt.Sprintf("LoadImages(%d names, each load taking %v)", n, latency)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		l := sameLatency(latency)
		start := time.Now()
		got := LoadImages(imageNames(n), l.image)
		elapsed := time.Since(start)
		s := l.stats()
		switch {
		case len(s.started) == 0:
			t.Errorf("%s returned %v after %v of fake time without calling load: start a "+
				"goroutine per name that calls load(name).", what, got, elapsed)
		case len(s.finished) < n:
			t.Errorf("%s returned after %v of fake time, before its loads had finished: wait for "+
				"every goroutine before returning (TestInOrderResults says more).", what, elapsed)
			letLeftoversFinish()
		case s.peak == 1:
			t.Errorf("%s took %v of fake time, want %v: the loads ran one after another, never "+
				"more than one at a time. Call each load in a goroutine of its own, and wait only "+
				"once they have all been started.", what, elapsed, latency)
		case elapsed != latency || s.peak != n:
			t.Errorf("%s took %v of fake time with at most %d loads running at once, want %v with "+
				"all %d at once: start every goroutine before waiting for any of them.",
				what, elapsed, s.peak, latency, n)
		}
	})
}
