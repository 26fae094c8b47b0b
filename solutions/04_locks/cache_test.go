package locks

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/go-concurrency-workbook/workbook/internal/rendezvous"
	"github.com/google/go-cmp/cmp"
)

// serialised is what the Cache tests say when readers waited for each other.
const serialised = "If the stacks above wait in sync.Mutex.Lock or sync.RWMutex.Lock inside Read " +
	"or Get, readers are serialised: a reader holds the lock alone, so the others wait although " +
	"none of them writes. Take the read lock in Get and Read (c.mu.RLock on a sync.RWMutex): " +
	"readers share it, and only Update takes it alone"

func TestCacheReadersAtOnce(t *testing.T) {
	t.Run("read", func(t *testing.T) {
		const readers = 4
		what := fmt.Sprintf("%d Read calls at once, each waiting inside fn until all %d are inside", readers, readers)
		var finished atomic.Bool
		guard.Bubble(t, limit, what, func(t *testing.T) {
			var c Cache
			c.Set("k", "v")
			p := rendezvous.New(readers, time.Second)
			seen := make([]string, readers)
			var wg sync.WaitGroup
			for r := range readers {
				wg.Go(func() {
					c.Read(func(table map[string]string) {
						defer p.Arrive()()
						seen[r] = table["k"]
					})
				})
			}
			wg.Wait()
			finished.Store(true)
			if !p.Met() {
				t.Errorf("%s: at most %d were inside fn at once, want %d: Reads must not wait for "+
					"each other, only for a writer", what, p.Peak(), readers)
			}
			want := []string{"v", "v", "v", "v"}
			if diff := cmp.Diff(want, seen); diff != "" {
				t.Errorf("table[\"k\"] seen by %s after Set(\"k\", \"v\") mismatch (-want +got):\n%s", what, diff)
			}
		})
		if !finished.Load() {
			t.Errorf("%s never finished. %s", what, serialised)
		}
	})
	t.Run("get", func(t *testing.T) {
		const what = "Get(\"k\") while a Read is inside fn"
		var finished atomic.Bool
		guard.Bubble(t, limit, what, func(t *testing.T) {
			var c Cache
			c.Set("k", "v")
			inside, release := make(chan struct{}), make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				c.Read(func(map[string]string) {
					close(inside)
					<-release
				})
			}()
			<-inside
			v, ok := c.Get("k")
			finished.Store(true)
			close(release)
			<-done
			if v != "v" || !ok {
				t.Errorf("%s, after Set(\"k\", \"v\") = (%q, %v), want (\"v\", true)", what, v, ok)
			}
		})
		if !finished.Load() {
			t.Errorf("%s never returned. %s", what, serialised)
		}
	})
}

// holdRead is the fn of a Read that reports on entered the value of "k" it sees, then
// stays inside the read section until release is closed.
func holdRead(table map[string]string, entered chan<- string, release <-chan struct{}) {
	entered <- table["k"]
	<-release
}

// readAndHold calls c.Read with holdRead.
func readAndHold(c *Cache, entered chan<- string, release <-chan struct{}) {
	c.Read(func(table map[string]string) { holdRead(table, entered, release) })
}

// writeK calls c.Update to set "k" to v.
func writeK(c *Cache, v string) {
	c.Update(func(table map[string]string) { table["k"] = v })
}

// writerTestStacks returns the stacks of the goroutines TestCacheWriterNotStarved started.
func writerTestStacks() string {
	return guard.Stacks(func(_, stack string) bool { return strings.Contains(stack, "locks.goDone") })
}

// goDone runs f in a new goroutine and returns a channel closed when f returns.
func goDone(f func()) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	return done
}

// TestCacheWriterNotStarved is a writer among readers that keep arriving: a first Read
// stays inside fn; an Update starts and waits for it; three more Reads arrive. They must
// wait behind the Update, not join the first Read, or a stream of overlapping readers
// would keep the Update waiting forever. Once the first Read leaves, the Update goes
// first, and then the three Reads run together and see its value.
//
// It runs in real time, outside a bubble: a goroutine blocked on a sync.RWMutex is not
// durably blocked, so synctest.Wait cannot wait for it.
func TestCacheWriterNotStarved(t *testing.T) {
	const later = 3
	var c Cache
	if !guard.Run(t, limit, "Set(\"k\", \"old\") on a new Cache", func() { c.Set("k", "old") }) {
		return
	}
	entered := make(chan string, 1+later)
	releaseFirst, releaseLater := make(chan struct{}), make(chan struct{})
	var readers []<-chan struct{}
	defer func() {
		// Let every reader go, then wait for them, so that no test goroutine is left behind.
		if !closed(releaseFirst) {
			close(releaseFirst)
		}
		if !closed(releaseLater) {
			close(releaseLater)
		}
		for _, r := range readers {
			select {
			case <-r:
			case <-time.After(limit):
				t.Errorf("a Read did not return within %v after fn returned:\n\n%s", limit, writerTestStacks())
				return
			}
		}
	}()

	readers = append(readers, goDone(func() { readAndHold(&c, entered, releaseFirst) }))
	if !eventually(func() bool { return len(entered) == 1 }) {
		t.Errorf("Read(fn) on a Cache with nobody else using it did not call fn within %v:\n\n%s", limit, writerTestStacks())
		return
	}
	<-entered

	writer := goDone(func() { writeK(&c, "new") })
	if !eventually(func() bool { return closed(writer) || parked("locks.writeK(", "") > 0 }) {
		t.Errorf("Update while a Read is inside fn neither returned nor blocked within %v: it spins "+
			"(TryLock in a loop?). A waiting writer must block, where readers that arrive after it "+
			"can see it and wait behind it:\n\n%s", limit, writerTestStacks())
		return
	}
	writerWaited := !closed(writer)

	for range later {
		readers = append(readers, goDone(func() { readAndHold(&c, entered, releaseLater) }))
	}
	if !eventually(func() bool {
		return len(entered)+parked("locks.readAndHold(", "locks.holdRead(") == later
	}) {
		t.Errorf("%d Reads started after an Update neither got into fn nor blocked within %v:\n\n%s",
			later, limit, writerTestStacks())
		return
	}
	if in := len(entered); writerWaited && in > 0 && !closed(writer) {
		t.Errorf("while an Update waited for the Read inside fn, %d of the %d Reads that arrived "+
			"after it got into fn too, want 0: readers that overtake a waiting writer can starve it "+
			"for ever, as long as they keep overlapping. A waiting writer must block new readers "+
			"(sync.RWMutex.Lock does; a loop of TryLock, or a reader count that only the writer "+
			"waits on, does not)", in, later)
		return
	}

	close(releaseFirst)
	select {
	case <-writer:
	case <-time.After(limit):
		t.Errorf("Update still waited %v after the only Read that came before it left, while %d "+
			"Reads that came after it are inside fn: the writer is starved by readers. A waiting "+
			"writer must block new readers:\n\n%s", limit, len(entered), writerTestStacks())
		return
	}
	if !eventually(func() bool { return len(entered) == later }) {
		t.Errorf("after the Update, %d of the %d Reads that waited behind it got into fn within %v, "+
			"want all %d at once: readers must share the lock, not wait for each other. Take the read "+
			"lock in Get and Read (c.mu.RLock on a sync.RWMutex). The Reads, and where they wait:\n\n%s",
			len(entered), later, limit, later, writerTestStacks())
		return
	}
	var seen []string
	for range later {
		seen = append(seen, <-entered)
	}
	want := []string{"new", "new", "new"}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("table[\"k\"] seen by the Reads that arrived while Update(k=new) was running or "+
			"waiting mismatch (-want +got): they must see its value:\n%s", diff)
	}
}
