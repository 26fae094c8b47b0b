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
	"github.com/stretchr/testify/assert"
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
	assert.Equal(t, int64(n*meals), calls.Load(), "%s: calls of firstFork, once per meal, after "+
		"the philosopher has picked up its first fork", call)
}

// TestDineInParallel makes each meal wait until two philosophers eat at once (or a
// second has passed): philosophers who share no fork must be able to eat at once, and
// one lock for the whole table keeps every philosopher from eating while another does.
// One meal each: a correct table can still make the first eater eat alone (its
// neighbours wait in a chain behind it), but when it is done, two philosophers who share
// no fork are free to eat, and each waits for the other.
func TestDineInParallel(t *testing.T) {
	const n, meals = 5, 1
	const call = "Dine(5 philosophers, 1 meal) with each meal waiting for a second philosopher to eat"
	tb := newTable(n)
	twoEating := rendezvous.New(2, time.Second)
	eat := func(p int) {
		defer twoEating.Arrive()()
		tb.eat(0)(p)
	}
	if !guard.Run(t, dineStuck, call, func() { Dine(n, meals, eat, nil) }) {
		return
	}
	tb.check(t, call, meals)
	assert.True(t, twoEating.Met(), "%s: at most %d philosopher ate at a time, want 2: "+
		"philosophers who share no fork must be able to eat at once (no lock for the whole table)",
		call, twoEating.Peak())
}
