// mutant: locks from then to, in argument order, as the seed does; caught by TestTransferLockOrder

package deadlock

import (
	"errors"
	"sync"
)

// The errors Transfer and TryTransfer return. Nothing moves when they do.
var (
	ErrInsufficientFunds = errors.New("insufficient funds")
	ErrSameAccount       = errors.New("transfer to the same account")
	ErrInvalidAmount     = errors.New("amount must be positive")
)

// Account is a bank account: a stable ID and a balance guarded by a mutex. Create one
// with NewAccount. Its methods, Transfer and TryTransfer may be called from any number
// of goroutines at once.
type Account struct {
	id      int
	mu      sync.Mutex // guards balance
	balance int
}

// NewAccount returns an account with the given ID and opening balance. IDs are the keys
// locks are ordered by: give every account a different one.
func NewAccount(id, balance int) *Account {
	return &Account{id: id, balance: balance}
}

// ID returns the account's ID.
func (a *Account) ID() int { return a.id }

// Balance returns the account's balance.
func (a *Account) Balance() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.balance
}

// move moves amount from one account to the other, or returns ErrInsufficientFunds and
// moves nothing. The caller must hold both accounts' locks: a mutex in Go is not
// reentrant, so helpers that run under a lock do not take it again.
func move(from, to *Account, amount int) error {
	if from.balance < amount {
		return ErrInsufficientFunds
	}
	from.balance -= amount
	to.balance += amount
	return nil
}

// Transfer moves amount from one account to the other and returns nil, or returns
// ErrSameAccount, ErrInvalidAmount or ErrInsufficientFunds and moves nothing. It holds
// both accounts' locks while it checks and moves, and it cannot deadlock with other
// transfers: every transfer takes the lock of the account with the smaller ID first.
func Transfer(from, to *Account, amount int) error {
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock()
	defer to.mu.Unlock()
	return move(from, to, amount)
}
