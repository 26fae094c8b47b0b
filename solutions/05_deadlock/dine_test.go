package deadlock

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/go-concurrency-workbook/workbook/internal/rendezvous"
	"github.com/google/go-cmp/cmp"
)

// table records what the philosophers of one Dine call do: how many times each ate,
// who is eating now, and the first rule broken. Its methods are called by the
// philosophers' goroutines, so they never fail the test themselves.
type table struct {
	n int

	mu      sync.Mutex
	meals   []int
	eating  []bool
	problem string // the first rule broken, if any
}

// dineStuck is how long a guarded Dine may take before it is reported as a deadlock. It
// is longer than stuck because the rendezvous in TestDineNoDeadlock may hold a correct
// table for up to a second of its patience, and a loaded machine running -race may
// stretch that.
const dineStuck = 10 * time.Second

func newTable(n int) *table {
	return &table{n: n, meals: make([]int, n), eating: make([]bool, n)}
}

// sitDown marks philosopher p as eating and records a broken rule if p is not a seat
// at the table or a neighbour of p is eating too.
func (tb *table) sitDown(p int) bool {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if p < 0 || p >= tb.n {
		tb.fail(fmt.Sprintf("eat(%d) was called, but the philosophers are 0 to %d", p, tb.n-1))
		return false
	}
	for _, q := range []int{(p + tb.n - 1) % tb.n, (p + 1) % tb.n} {
		if tb.eating[q] {
			tb.fail(fmt.Sprintf("philosophers %d and %d, who share a fork, ate at the same time: "+
				"a philosopher must hold both its forks while it eats", q, p))
		}
	}
	tb.eating[p] = true
	tb.meals[p]++
	return true
}

func (tb *table) standUp(p int) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.eating[p] = false
}

func (tb *table) fail(problem string) {
	if tb.problem == "" {
		tb.problem = problem
	}
}

// eat is an eat function for Dine that records the meal and pauses for pause of real
// time (the injected latency of a meal) while the philosopher holds its forks.
func (tb *table) eat(pause time.Duration) func(p int) {
	return func(p int) {
		if !tb.sitDown(p) {
			return
		}
		time.Sleep(pause)
		tb.standUp(p)
	}
}

// check fails t if a rule was broken or a philosopher did not eat meals times.
func (tb *table) check(t *testing.T, call string, meals int) {
	t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if tb.problem != "" {
		t.Errorf("%s: %s", call, tb.problem)
	}
	if diff := cmp.Diff(slices.Repeat([]int{meals}, tb.n), tb.meals); diff != "" {
		t.Errorf("%s: meals eaten by each philosopher mismatch (-want +got):\n%s", call, diff)
	}
}

func TestDineEveryoneEats(t *testing.T) {
	tests := []struct {
		name     string
		n, meals int
	}{
		{name: "two", n: 2, meals: 5},
		{name: "five", n: 5, meals: 20},
		{name: "seven", n: 7, meals: 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			call := fmt.Sprintf("Dine(%d philosophers, %d meals)", tc.n, tc.meals)
			tb := newTable(tc.n)
			if guard.Run(t, dineStuck, call, func() { Dine(tc.n, tc.meals, tb.eat(0), nil) }) {
				tb.check(t, call, tc.meals)
			}
		})
	}
}

// TestDineNeighbours makes every meal last a millisecond, so that philosophers who eat
// without holding both forks are caught eating beside each other.
func TestDineNeighbours(t *testing.T) {
	const call = "Dine(5 philosophers, 10 meals of 1ms each)"
	tb := newTable(5)
	if guard.Run(t, dineStuck, call, func() { Dine(5, 10, tb.eat(time.Millisecond), nil) }) {
		tb.check(t, call, 10)
	}
}

// TestDineNoDeadlock pauses the first five times a philosopher holds its first fork
// until all five hold one (or half a second has passed). A table where everyone picks
// up the left fork first then deadlocks every time: each holds its left fork and waits
// for its right. A table with an order on the forks never gets all five to hold one, so
// the pause just runs out.
func TestDineNoDeadlock(t *testing.T) {
	const n, meals = 5, 3
	const call = "Dine(5 philosophers, 3 meals) with philosophers paused in firstFork until all five hold a fork"
	tb := newTable(n)
	allHolding := rendezvous.New(n, 500*time.Millisecond)
	var calls atomic.Int64
	var badFork atomic.Value
	firstFork := func(p, fork int) {
		if fork != p && fork != (p+1)%n {
			badFork.CompareAndSwap(nil, fmt.Sprintf("firstFork(%d, %d) was called, but philosopher "+
				"%d's forks are %d and %d", p, fork, p, p, (p+1)%n))
		}
		if calls.Add(1) <= n {
			allHolding.Arrive()()
		}
	}
	if !guard.Run(t, dineStuck, call, func() { Dine(n, meals, tb.eat(0), firstFork) }) {
		t.Errorf("%s deadlocked: every philosopher holds one fork and waits for the next, "+
			"around the table. Make them take their forks in one global order: the "+
			"lower-numbered fork first", call)
		return
	}
	tb.check(t, call, meals)
	if problem, ok := badFork.Load().(string); ok {
		t.Errorf("%s: %s", call, problem)
	}
	if got := calls.Load(); got < n*meals {
		t.Errorf("%s: firstFork was called %d times, want at least %d: once every time a "+
			"philosopher has picked up its first fork, so at least once a meal (a philosopher that "+
			"puts its first fork down and tries again calls it again)", call, got, n*meals)
	}
}

// dineFunc is the signature of Dine.
type dineFunc func(n, meals int, eat func(philosopher int), firstFork func(philosopher, fork int))

// TestDineInParallel pauses every philosopher that enters firstFork or eat, until two
// philosophers who share no fork are in them at the same time (or dinePatience has
// passed). A correct table always gets there: a paused philosopher holds at most its
// own two forks, so a philosopher who needs neither of them can still pick up its first
// fork and enter firstFork. With one lock for the whole table, nobody else can pick up a
// fork while one philosopher is paused, and the pauses only run out.
//
// It asks no more than that: even a correct table can make every philosopher eat alone,
// when the ones waiting for a fork form a chain behind the one eating (p0, p1 and p2
// each hold their first fork and wait for the next, p3 eats, p4 waits for fork 0).
func TestDineInParallel(t *testing.T) { testDineInParallel(t, Dine) }

// dinePatience is how long a philosopher stays paused in TestDineInParallel. A correct
// table meets in microseconds; the margin is for a loaded machine under -race.
const dinePatience = 2 * time.Second

func testDineInParallel(t *testing.T, dine dineFunc) {
	const n, meals = 5, 2
	const call = "Dine(5 philosophers, 2 meals) with every philosopher paused in firstFork and eat " +
		"until one who shares no fork with it is in them too"
	tb := newTable(n)
	w := newPauses(n, dinePatience)
	eat := func(p int) {
		defer w.arrive(p)()
		tb.eat(0)(p)
	}
	firstFork := func(p, _ int) { w.arrive(p)() }
	if !guard.Run(t, dineStuck, call, func() { dine(n, meals, eat, firstFork) }) {
		return
	}
	tb.check(t, call, meals)
	if !w.wasMet() {
		t.Errorf("%s: no two philosophers who share no fork were ever in firstFork or eat at the same "+
			"time, though the first to arrive waited %v there for another: while one philosopher held a "+
			"fork, no other could pick one up. One lock for the whole table serialises the dinner; give "+
			"each fork its own lock, so that philosophers who share no fork can eat at once", call, dinePatience)
	}
}

// pauses holds the philosophers that arrive in a callback until two who share no fork
// are inside at the same time, or until one of them has waited patience; after that it
// holds no one.
type pauses struct {
	n        int
	patience time.Duration

	mu     sync.Mutex
	inside []int         // how many callbacks each philosopher is in: 0 or 1
	met    chan struct{} // closed once two who share no fork were inside at once
	gaveUp bool
}

func newPauses(n int, patience time.Duration) *pauses {
	return &pauses{n: n, patience: patience, inside: make([]int, n), met: make(chan struct{})}
}

func (w *pauses) neighbours(p, q int) bool {
	return p == q || (p+1)%w.n == q || (q+1)%w.n == p
}

// arrive marks p as inside a callback and pauses it as described above. Call the
// returned function when p leaves the callback.
func (w *pauses) arrive(p int) (leave func()) {
	w.mu.Lock()
	if p < 0 || p >= w.n { // the table records it as a broken rule
		w.mu.Unlock()
		return func() {}
	}
	w.inside[p]++
	select {
	case <-w.met:
	default:
		for q, in := range w.inside {
			if in > 0 && !w.neighbours(p, q) {
				close(w.met)
				break
			}
		}
	}
	pause := !w.gaveUp
	w.mu.Unlock()
	if pause {
		timer := time.NewTimer(w.patience)
		select {
		case <-w.met:
		case <-timer.C:
			w.mu.Lock()
			w.gaveUp = true
			w.mu.Unlock()
		}
		timer.Stop()
	}
	return func() {
		w.mu.Lock()
		w.inside[p]--
		w.mu.Unlock()
	}
}

// wasMet reports whether two philosophers who share no fork were ever inside at once.
func (w *pauses) wasMet() bool {
	select {
	case <-w.met:
		return true
	default:
		return false
	}
}
