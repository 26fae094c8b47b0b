package locks

import (
	"fmt"
	"runtime"
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

// twoReaders starts two Reads of c that stay inside fn until the returned release is
// called, and waits until both are inside fn. If one of them waits for the lock instead,
// it fails t (readers must share the lock) and returns ok == false, having let the Reads
// go. wait waits for the Reads to return after release.
func twoReaders(t *testing.T, c *Cache) (release func(), wait func() bool, ok bool) {
	t.Helper()
	entered := make(chan string, 2)
	releaseCh := make(chan struct{})
	release = func() {
		if !closed(releaseCh) {
			close(releaseCh)
		}
	}
	done := []<-chan struct{}{
		goDone(func() { readAndHold(c, entered, releaseCh) }),
		goDone(func() { readAndHold(c, entered, releaseCh) }),
	}
	wait = func() bool {
		for _, d := range done {
			select {
			case <-d:
			case <-time.After(limit):
				return false
			}
		}
		return true
	}
	if !eventually(func() bool {
		return len(entered) == 2 || len(entered) == 1 && parkedMine("locks.readAndHold(", "locks.holdRead(") == 1
	}) || len(entered) < 2 {
		release()
		wait()
		t.Errorf("two Reads at the same time: %d got into fn, and the other waited for the lock, want "+
			"both inside fn at the same time. %s", len(entered), serialised)
		return nil, nil, false
	}
	return release, wait, true
}

// parkedMine is parked for the goroutines that the calling goroutine started: it leaves
// out goroutines an earlier run of the test left blocked.
func parkedMine(frame, except string) int {
	buf := make([]byte, 64)
	id, _, _ := strings.Cut(strings.TrimPrefix(string(buf[:runtime.Stack(buf, false)]), "goroutine "), " ")
	n := 0
	guard.Stacks(func(header, stack string) bool {
		if strings.Contains(stack, frame) && (except == "" || !strings.Contains(stack, except)) &&
			strings.Contains(stack, " in goroutine "+id+"\n") && waiting(header) {
			n++
		}
		return false
	})
	return n
}

// writeTwice sets "k" to "first" and then to "second", each in an Update of its own, and
// sets firstDone in between.
func writeTwice(c *Cache, firstDone *atomic.Bool) {
	c.Update(func(table map[string]string) { table["k"] = "first" })
	firstDone.Store(true)
	c.Update(func(table map[string]string) { table["k"] = "second" })
}

// getK calls c.Get("k") and sends what it returned to out.
func getK(c *Cache, out chan<- string) {
	v, _ := c.Get("k")
	out <- v
}

// TestCacheReadLockOnce checks that Get takes the read lock once. Two Reads hold the read
// lock; a goroutine that calls Update twice in a row waits for them, and a Get waits
// behind it (a waiting writer holds back new readers). When the Reads leave, the first
// Update runs; its Unlock lets the Get in, and the second Update, which comes right
// after it, then waits for the Get to unlock, holding back every RLock that comes after
// it. A Get that takes the read lock a second time (through Read, or any method that
// locks) waits for that Update, which waits for the Get: a deadlock. With one thread
// (GOMAXPROCS=1), the goroutine that unlocked goes on to its second Update before the
// Get runs, so such a Get deadlocks every time; a Get that locks once returns.
func TestCacheReadLockOnce(t *testing.T) {
	const what = "Get(\"k\") waiting behind an Update, with a second Update right after the first"
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	var c Cache
	if !guard.Run(t, limit, "Set(\"k\", \"old\") on a new Cache", func() { c.Set("k", "old") }) {
		return
	}
	release, waitReaders, ok := twoReaders(t, &c)
	if !ok {
		return
	}
	var firstDone atomic.Bool
	writer := goDone(func() { writeTwice(&c, &firstDone) })
	if !eventually(func() bool { return firstDone.Load() || parkedMine("locks.writeTwice(", "") == 1 }) {
		release()
		t.Errorf("an Update while two Reads are inside fn neither returned nor waited for the lock within "+
			"%v:\n\n%s", limit, guard.Stacks(nil))
		return
	}
	if firstDone.Load() {
		release()
		<-writer
		waitReaders()
		t.Errorf("an Update while two Reads were inside fn returned, want it to wait until they leave: a " +
			"writer holds the lock alone. Update takes c.mu.Lock(), which waits for every reader; a " +
			"read lock in Update lets it change the table under the readers' eyes")
		return
	}
	got := make(chan string, 1)
	getDone := goDone(func() { getK(&c, got) })
	if !eventually(func() bool { return closed(getDone) || parkedMine("locks.getK(", "") == 1 }) {
		release()
		t.Errorf("Get(\"k\") neither returned nor waited for the lock within %v:\n\n%s", limit, guard.Stacks(nil))
		return
	}

	release()
	deadline := time.After(limit)
	var v string
	for v == "" {
		select {
		case v = <-got:
		case <-time.After(50 * time.Millisecond):
			// Once the first Update has returned, a correct Get holds the read lock and is
			// never again parked on a lock; one parked there asked for it a second time.
			if firstDone.Load() && parkedMine("locks.getK(", "") == 1 && parkedMine("locks.writeTwice(", "") == 1 {
				t.Errorf("%s: the Get never returned, and the second Update waits for it. Get holds the "+
					"read lock and asks for it again (calling Read, or another method that takes "+
					"c.mu.RLock). A second RLock waits for a writer that is already waiting, so that "+
					"readers cannot starve it, and that writer waits for the first RLock to be released: "+
					"a deadlock, as soon as a writer comes between the two. Take the read lock once, in "+
					"the exported method, and read c.m directly under it (or through a helper that does "+
					"not lock). The goroutines:\n\n%s", what, guard.Stacks(nil))
				return // the deadlocked goroutines stay behind; the leak check lists them too
			}
		case <-deadline:
			t.Errorf("%s: the Get did not return within %v:\n\n%s", what, limit, guard.Stacks(nil))
			return
		}
	}
	for _, d := range []<-chan struct{}{writer, getDone} {
		select {
		case <-d:
		case <-time.After(limit):
			t.Errorf("%s: an Update did not return within %v:\n\n%s", what, limit, guard.Stacks(nil))
			return
		}
	}
	if !waitReaders() {
		t.Errorf("%s: a Read did not return within %v", what, limit)
		return
	}
	if v != "first" {
		t.Errorf("%s = %q, want \"first\": a Get that waits behind an Update sees its value, and comes "+
			"before the Update that started after it", what, v)
	}
}

// TestCacheWritersKeepWrites checks that two Updates at the same time keep both their
// changes. First two Reads share the lock. Then one Update sets "a" and stays inside fn
// while another sets "b"; the second must wait for the first (a writer holds the lock
// alone, fn included). Afterwards both keys must be in the table. An Update that changes
// a copy of the table outside the lock and swaps it in afterwards loses the other
// Update's change; one that writes under the read lock writes the map while the other
// does (the race detector sees it).
func TestCacheWritersKeepWrites(t *testing.T) {
	const what = "Update(set \"a\"), staying inside fn, while Update(set \"b\") runs"
	var c Cache
	if !guard.Run(t, limit, "Set(\"k\", \"old\") on a new Cache", func() { c.Set("k", "old") }) {
		return
	}
	release, waitReaders, ok := twoReaders(t, &c)
	if !ok {
		return
	}
	release()
	if !waitReaders() {
		t.Errorf("two Reads did not return within %v after fn returned", limit)
		return
	}

	inside, releaseA := make(chan struct{}), make(chan struct{})
	a := goDone(func() {
		c.Update(func(table map[string]string) {
			close(inside) // first, so that nothing orders this write before the other Update's
			table["a"] = "set"
			<-releaseA
		})
	})
	select {
	case <-inside:
	case <-time.After(limit):
		close(releaseA)
		t.Errorf("Update(set \"a\") on a Cache nobody else uses did not call fn within %v:\n\n%s", limit,
			guard.Stacks(nil))
		return
	}
	b := goDone(func() { setKey(&c, "b") })
	if !eventually(func() bool { return closed(b) || parkedMine("locks.setKey(", "") == 1 }) {
		close(releaseA)
		t.Errorf("%s: Update(set \"b\") neither returned nor waited for the lock within %v:\n\n%s",
			what, limit, guard.Stacks(nil))
		return
	}
	bReturned := closed(b)
	close(releaseA)
	for _, d := range []<-chan struct{}{a, b} {
		select {
		case <-d:
		case <-time.After(limit):
			t.Errorf("%s: an Update did not return within %v:\n\n%s", what, limit, guard.Stacks(nil))
			return
		}
	}
	got := map[string]string{}
	if !guard.Run(t, limit, "Get(\"a\") and Get(\"b\") afterwards", func() {
		for _, key := range []string{"a", "b"} {
			if v, ok := c.Get(key); ok {
				got[key] = v
			}
		}
	}) {
		return
	}
	if diff := cmp.Diff(map[string]string{"a": "set", "b": "set"}, got); diff != "" {
		msg := fmt.Sprintf("the table after %s mismatch (-want +got): a write was lost.\n%s", what, diff)
		if bReturned {
			msg += "Update(set \"b\") returned while the other Update was still inside fn: their fns ran " +
				"at the same time, outside one write lock. An Update that changes a copy of the table " +
				"and swaps it in afterwards starts from the table as it was; two of them at the same " +
				"time both start from the same table, and the last swap throws away the other's " +
				"change. Hold c.mu.Lock() for the whole of Update, fn included."
		}
		t.Error(msg)
	}
}

// setKey calls c.Update to set key to "set".
func setKey(c *Cache, key string) {
	c.Update(func(table map[string]string) { table[key] = "set" })
}
