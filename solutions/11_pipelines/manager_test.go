package pipelines

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

func TestManagerGetSet(t *testing.T) {
	const what = "a NewManager()"
	guard.Bubble(t, limit, what, func(t *testing.T) {
		m := NewManager()
		defer m.Close()
		var wrong []string
		check := func(call string, got, want any) {
			if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
				wrong = append(wrong, fmt.Sprintf("%s = %s, want %s", call, g, w))
			}
		}
		v, ok := m.Get("a")
		check(`Get("a")`, fmt.Sprint(v, ", ", ok), "0, false")
		m.Set("a", 1)
		v, ok = m.Get("a")
		check(`Set("a", 1), then Get("a")`, fmt.Sprint(v, ", ", ok), "1, true")
		check(`Add("a", 2)`, m.Add("a", 2), 3)
		check(`Add("b", 5)`, m.Add("b", 5), 5)
		snap := m.Snapshot()
		check(`Snapshot()`, snap, map[string]int{"a": 3, "b": 5})
		if snap != nil {
			snap["a"] = 100
		}
		m.Set("c", 7)
		v, ok = m.Get("a")
		check(`snap["a"] = 100 by the caller, Set("c", 7), then Get("a")`, fmt.Sprint(v, ", ", ok), "3, true")
		check(`that snap, after Set("c", 7)`, snap, map[string]int{"a": 100, "b": 5})
		if len(wrong) > 0 {
			t.Errorf("calls on %s, one after another:\n\t%s\nThe owner goroutine must apply every "+
				"request to its map in the order they come, and Snapshot must return a copy: the "+
				"caller's changes stay in the copy, and later calls do not change it.",
				what, strings.Join(wrong, "\n\t"))
		}
	})
}

func TestManagerAdd(t *testing.T) {
	const goroutines, adds = 8, 50
	what := fmt.Sprintf(`%d goroutines each calling Add("hits", 1) and Add(its own key, 1) %d times `+
		"on one Manager", goroutines, adds)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		m := NewManager()
		defer m.Close()
		returned := make(chan int, goroutines*adds)
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for range adds {
					returned <- m.Add("hits", 1)
					m.Add(fmt.Sprint("g", g), 1)
				}
			})
		}
		wg.Wait()
		close(returned)
		want := map[string]int{"hits": goroutines * adds}
		for g := range goroutines {
			want[fmt.Sprint("g", g)] = adds
		}
		if diff := cmp.Diff(want, m.Snapshot()); diff != "" {
			t.Errorf("%s: Snapshot() differs (-want +got):\n%s\nEvery Add must reach the owner and "+
				"change its map, reading and writing in one request: a Get then a Set lets another "+
				"goroutine's Add come in between, and one of the two additions is lost.", what, diff)
			return
		}
		values := slices.Sorted(func(yield func(int) bool) {
			for v := range returned {
				if !yield(v) {
					return
				}
			}
		})
		for i, v := range values {
			if v != i+1 {
				t.Errorf(`%s: the Add("hits", 1) calls returned %d twice, or skipped a value: the `+
					"%d calls must return 1, 2, … %d, each once. Add must read and write in one "+
					"request to the owner; between a read and a write in two requests, another "+
					"goroutine's Add comes in.", what, v, goroutines*adds, goroutines*adds)
				return
			}
		}
	})
}

func TestManagerOwnsState(t *testing.T) {
	const what = `Set("a", 1), Snapshot(), then in another goroutine Set("a", 2) and Add("b", 1), ` +
		`then Get("a")`
	guard.Bubble(t, limit, what, func(t *testing.T) {
		m := NewManager()
		defer m.Close()
		m.Set("a", 1)
		snap := m.Snapshot()
		if diff := cmp.Diff(map[string]int{"a": 1}, snap); diff != "" {
			t.Fatalf("Set(\"a\", 1), then Snapshot() differs (-want +got):\n%s", diff)
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			m.Set("a", 2)
			m.Add("b", 1)
		}()
		// In fake time, the sleep ends only once the goroutine above has made its calls and
		// the owner waits for the next request. But a sleep orders nothing for the race
		// detector: what follows counts as running at the same time as the owner's writes,
		// and any read of the owner's map from here is reported as a data race.
		time.Sleep(time.Second)
		if snap["a"] != 1 {
			t.Errorf("%s: the Snapshot() taken before them has a = %d, want 1: Snapshot returned "+
				"the owner's map itself, not a copy, so the caller reads it while the owner writes "+
				"it. Let the owner make the copy (maps.Clone) and send it back.", what, snap["a"])
		}
		if v, ok := m.Get("a"); v != 2 || !ok {
			t.Errorf("%s = %d, %v, want 2, true: the owner applies each request when it comes, "+
				"and Get asks the owner; it never reads the map itself.", what, v, ok)
		}
		<-done
	})
}

func TestManagerClose(t *testing.T) {
	const what = `NewManager(), Set("k", 1), Get("k"), then Close()`
	guard.Bubble(t, limit, what, func(t *testing.T) {
		m := NewManager()
		m.Set("k", 1)
		if v, ok := m.Get("k"); v != 1 || !ok {
			t.Errorf("%s: Get(\"k\") = %d, %v, want 1, true", what, v, ok)
		}
		m.Close()
		synctest.Wait()
		if left := leftBehind(); len(left) > 0 {
			t.Errorf("%s: Close returned, but %s\nClose must stop the owner goroutine (close its "+
				"channel of requests, so that its range loop ends) and wait until it has ended.",
				what, describe(left))
		}
	})
}
