// mutant: Take checks the stock with the exported Stock before it locks, then locks to subtract: no self-deadlock, but another Take can check the same units between the two holds, and both take them; caught by TestInventoryOneHold

package locks

import (
	"errors"
	"fmt"
	"sync"
)

// ErrOutOfStock is what Take and TakeOrder return when there are not enough units.
var ErrOutOfStock = errors.New("out of stock")

// Inventory counts the units in stock of each item. The zero Inventory is empty and
// ready to use; its methods may be called from any number of goroutines at once.
//
// Go has no reentrant mutex: the exported methods lock mu, and the unexported ...Locked
// helpers assume the caller holds it, so that no method locks mu twice.
type Inventory struct {
	mu    sync.Mutex
	stock map[string]int // units in stock by item, guarded by mu
}

// Stock returns the units of item in stock.
func (inv *Inventory) Stock(item string) int {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	return inv.stockLocked(item)
}

// stockLocked is Stock for a caller that holds inv.mu.
func (inv *Inventory) stockLocked(item string) int {
	return inv.stock[item]
}

// Add puts n more units of item in stock. n must not be negative.
func (inv *Inventory) Add(item string, n int) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if inv.stock == nil {
		inv.stock = map[string]int{}
	}
	inv.stock[item] += n
}

// Take removes n units of item from stock and returns nil, or returns an error wrapping
// ErrOutOfStock, and removes nothing, if fewer than n are in stock. n must not be
// negative.
func (inv *Inventory) Take(item string, n int) error {
	// Stock locks inv.mu itself, so call it before locking: no self-deadlock.
	if have := inv.Stock(item); have < n {
		return fmt.Errorf("take %d %s with %d in stock: %w", n, item, have, ErrOutOfStock)
	}
	inv.mu.Lock()
	defer inv.mu.Unlock()
	if n > 0 {
		inv.stock[item] -= n
	}
	return nil
}

// takeLocked is Take for a caller that holds inv.mu.
func (inv *Inventory) takeLocked(item string, n int) error {
	if have := inv.stockLocked(item); have < n {
		return fmt.Errorf("take %d %s with %d in stock: %w", n, item, have, ErrOutOfStock)
	}
	if n > 0 { // the zero Inventory has no table yet, and taking nothing needs none
		inv.stock[item] -= n
	}
	return nil
}

// TakeOrder takes every line of order (units by item) and returns nil, or returns an
// error wrapping ErrOutOfStock, and takes nothing, if any line is short. No other method
// sees the order half taken. No line may be negative.
func (inv *Inventory) TakeOrder(order map[string]int) error {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	// One hold of the lock for the check and the takes makes the order all or nothing.
	for item, n := range order {
		if have := inv.stockLocked(item); have < n {
			return fmt.Errorf("order of %d %s with %d in stock: %w", n, item, have, ErrOutOfStock)
		}
	}
	for item, n := range order {
		if n > 0 {
			inv.stock[item] -= n
		}
	}
	return nil
}
