package locks

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// reentry is what the Inventory tests say when a call never returns.
const reentry = "A sync.Mutex is not reentrant (Go has no RLock): a method that holds inv.mu and " +
	"calls another method that locks inv.mu waits for itself forever. Keep the locking in the " +
	"exported methods and move their bodies into unexported ...Locked helpers that assume the " +
	"lock is held; locked code calls only the helpers"

// call runs f under guard.Run and reports whether it returned. If it did not, call fails t
// with a message that names the call and explains the self-deadlock.
func call(t *testing.T, what string, f func()) bool {
	t.Helper()
	if !guard.Run(t, limit, what, f) {
		t.Errorf("%s never returned. %s", what, reentry)
		return false
	}
	return true
}

// stocks returns the stock of each item, or false (having failed t) if Stock hangs.
func stocks(t *testing.T, inv *Inventory, items ...string) (map[string]int, bool) {
	t.Helper()
	got := map[string]int{}
	for _, item := range items {
		if !call(t, fmt.Sprintf("Stock(%q)", item), func() { got[item] = inv.Stock(item) }) {
			return nil, false
		}
	}
	return got, true
}

func TestInventoryTake(t *testing.T) {
	tests := []struct {
		name     string
		stock    int // apples in stock before Take
		take     int
		wantErr  error
		wantLeft int
	}{
		{name: "some", stock: 5, take: 3, wantLeft: 2},
		{name: "all", stock: 5, take: 5, wantLeft: 0},
		{name: "too_many", stock: 5, take: 6, wantErr: ErrOutOfStock, wantLeft: 5},
		{name: "none_in_stock", stock: 0, take: 1, wantErr: ErrOutOfStock, wantLeft: 0},
	}
	for _, tc := range tests {
		stuck := false
		t.Run(tc.name, func(t *testing.T) {
			var inv Inventory
			what := fmt.Sprintf("Take(%q, %d) on an Inventory holding %d apples", "apple", tc.take, tc.stock)
			if !call(t, fmt.Sprintf("Add(%q, %d) on an empty Inventory", "apple", tc.stock), func() { inv.Add("apple", tc.stock) }) {
				stuck = true
				return
			}
			var err error
			if !call(t, what, func() { err = inv.Take("apple", tc.take) }) {
				stuck = true
				return
			}
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("%s = %v, want %v", what, err, tc.wantErr)
			}
			got, ok := stocks(t, &inv, "apple")
			if !ok {
				stuck = true
				return
			}
			if got["apple"] != tc.wantLeft {
				t.Errorf("Stock(%q) after %s = %d, want %d", "apple", what, got["apple"], tc.wantLeft)
			}
		})
		if stuck {
			return // the other cases would wait out the same limit
		}
	}
}

func TestInventoryTakeOrder(t *testing.T) {
	tests := []struct {
		name    string
		order   map[string]int
		wantErr error
		want    map[string]int // stock afterwards
	}{
		{name: "fills", order: map[string]int{"apple": 2, "pear": 3},
			want: map[string]int{"apple": 3, "pear": 0, "plum": 1}},
		{name: "one_line_short", order: map[string]int{"apple": 2, "pear": 4},
			wantErr: ErrOutOfStock, want: map[string]int{"apple": 5, "pear": 3, "plum": 1}},
		{name: "unknown_item", order: map[string]int{"apple": 1, "fig": 1},
			wantErr: ErrOutOfStock, want: map[string]int{"apple": 5, "pear": 3, "plum": 1}},
	}
	for _, tc := range tests {
		stuck := false
		t.Run(tc.name, func(t *testing.T) {
			var inv Inventory
			if !call(t, "Add(\"apple\", 5), Add(\"pear\", 3), Add(\"plum\", 1) on an empty Inventory", func() {
				inv.Add("apple", 5)
				inv.Add("pear", 3)
				inv.Add("plum", 1)
			}) {
				stuck = true
				return
			}
			what := fmt.Sprintf("TakeOrder(%v) on an Inventory holding apple:5 pear:3 plum:1", tc.order)
			var err error
			if !call(t, what, func() { err = inv.TakeOrder(tc.order) }) {
				stuck = true
				return
			}
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("%s = %v, want %v", what, err, tc.wantErr)
			}
			got, ok := stocks(t, &inv, "apple", "pear", "plum")
			if !ok {
				stuck = true
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("stock after %s mismatch (-want +got): an order is taken whole or not at all:\n%s", what, diff)
			}
		})
		if stuck {
			return
		}
	}
}

// TestInventoryConcurrent calls every method from several goroutines at once. In the
// first part each goroutine takes only what it added before, so every Take and TakeOrder
// must succeed and the stock ends at zero. In the second the goroutines race for the last
// units of one item: exactly as many Takes as there were units succeed. The race detector
// watches the table throughout.
func TestInventoryConcurrent(t *testing.T) {
	const goroutines, rounds, plums = 4, 100, 50
	const what = "4 goroutines each calling Add, Take, TakeOrder and Stock 100 times at once"
	var inv Inventory
	errs := make([]error, goroutines)
	if !call(t, what, func() {
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for range rounds {
					inv.Add("apple", 2)
					inv.Add("pear", 1)
					if err := inv.Take("apple", 1); err != nil && errs[g] == nil {
						errs[g] = fmt.Errorf("Take(\"apple\", 1) after adding 2: %w", err)
					}
					if err := inv.TakeOrder(map[string]int{"apple": 1, "pear": 1}); err != nil && errs[g] == nil {
						errs[g] = fmt.Errorf("TakeOrder(apple:1 pear:1) after adding apple:2 pear:1: %w", err)
					}
					_ = inv.Stock("apple")
				}
			})
		}
		wg.Wait()
	}) {
		return
	}
	for g, err := range errs {
		if err != nil {
			t.Errorf("%s: goroutine %d: %v, want nil: it took only what it had added", what, g, err)
		}
	}
	got, ok := stocks(t, &inv, "apple", "pear")
	if !ok {
		return
	}
	if diff := cmp.Diff(map[string]int{"apple": 0, "pear": 0}, got); diff != "" {
		t.Errorf("stock after %s mismatch (-want +got): every unit added was taken once:\n%s", what, diff)
	}

	const race = "4 goroutines each calling Take(\"plum\", 1) until it fails, on an Inventory holding 50 plums"
	taken := make([]int, goroutines)
	if !call(t, race, func() {
		inv.Add("plum", plums)
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for inv.Take("plum", 1) == nil {
					taken[g]++
				}
			})
		}
		wg.Wait()
	}) {
		return
	}
	total := 0
	for _, n := range taken {
		total += n
	}
	left := inv.Stock("plum")
	if total != plums || left != 0 {
		t.Errorf("%s: the Takes that returned nil took %d plums and %d are left, want %d and 0: "+
			"Take must check the stock and take it under one hold of the lock; a check that "+
			"lets go of the lock before the take lets two goroutines take the same plum", race, total, left, plums)
	}
}
