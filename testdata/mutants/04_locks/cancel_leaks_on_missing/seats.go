// mutant: Cancel unlocks by hand before each return but forgets to on the ErrNoSuchSeat path, so the lock stays held after cancelling a seat that does not exist; caught by TestSeatsCancel

package locks

import (
	"errors"
	"fmt"
	"sync"
)

// The errors of Seats' methods. Nothing changes when they return one.
var (
	ErrNoSuchSeat = errors.New("no such seat")
	ErrTaken      = errors.New("seat taken")
	ErrNotYours   = errors.New("seat not booked by you")
)

// Seats is the seat map of a show: each seat is free or booked by someone. Create one
// with [NewSeats]; its methods may be called from any number of goroutines at once.
type Seats struct {
	mu     sync.Mutex
	booked map[string]string // who booked each seat, "" if nobody; guarded by mu
}

// NewSeats returns a seat map of the named seats, all free.
func NewSeats(names ...string) *Seats {
	s := &Seats{booked: make(map[string]string, len(names))}
	for _, n := range names {
		s.booked[n] = ""
	}
	return s
}

// Holder returns who booked seat, or "" if it is free. It returns an error wrapping
// ErrNoSuchSeat if there is no such seat.
func (s *Seats) Holder(seat string) (string, error) {
	s.mu.Lock()
	// Deferred right after Lock, the Unlock runs on every return path, and on a panic.
	defer s.mu.Unlock()
	who, ok := s.booked[seat]
	if !ok {
		return "", fmt.Errorf("holder of %s: %w", seat, ErrNoSuchSeat)
	}
	return who, nil
}

// Book books seat for who (not empty) and returns nil. It returns an error wrapping
// ErrNoSuchSeat if there is no such seat, or ErrTaken if someone (who included) booked it.
func (s *Seats) Book(seat, who string) error {
	s.mu.Lock()
	// Every early return below unlocks too: defer is Go's `with lock:`.
	defer s.mu.Unlock()
	holder, ok := s.booked[seat]
	if !ok {
		return fmt.Errorf("book %s for %s: %w", seat, who, ErrNoSuchSeat)
	}
	if holder != "" {
		return fmt.Errorf("book %s for %s: %w by %s", seat, who, ErrTaken, holder)
	}
	s.booked[seat] = who
	return nil
}

// Cancel frees seat, which who booked, and returns nil. It returns an error wrapping
// ErrNoSuchSeat if there is no such seat, or ErrNotYours if who did not book it.
func (s *Seats) Cancel(seat, who string) error {
	s.mu.Lock()
	holder, ok := s.booked[seat]
	if !ok {
		return fmt.Errorf("cancel %s for %s: %w", seat, who, ErrNoSuchSeat)
	}
	if holder != who {
		s.mu.Unlock()
		return fmt.Errorf("cancel %s for %s: %w", seat, who, ErrNotYours)
	}
	s.booked[seat] = ""
	s.mu.Unlock()
	return nil
}
