package locks

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// leaked is what the Seats tests say when a call after an error never returns.
const leaked = "The call before it returned with s.mu still locked, so every later call waits " +
	"forever. In Python `with lock:` releases the lock on every way out of the block; in Go " +
	"write defer s.mu.Unlock() right after s.mu.Lock(), and every return path (and a panic) unlocks"

// seatCase is one call of Book or Cancel on the seats A1 and A2, with A1 booked by
// heldBy ("" for free) beforehand.
type seatCase struct {
	name       string
	heldBy     string
	seat, who  string
	wantErr    error
	wantHolder string // A1's holder afterwards
}

// runSeatCases makes each case's call on new seats, then asks Holder("A1"), both under
// guard.Run; it stops at the first call that never returns.
func runSeatCases(t *testing.T, method string, cases []seatCase, f func(s *Seats, seat, who string) error) {
	for _, tc := range cases {
		stuck := false
		t.Run(tc.name, func(t *testing.T) {
			s := NewSeats("A1", "A2")
			setup := "new Seats(A1, A2)"
			if tc.heldBy != "" {
				setup = fmt.Sprintf("Seats(A1, A2) after Book(\"A1\", %q)", tc.heldBy)
				var err error
				if !guard.Run(t, limit, "Book(\"A1\", \""+tc.heldBy+"\") on new Seats(A1, A2)", func() { err = s.Book("A1", tc.heldBy) }) {
					t.Errorf("Book(\"A1\", %q) on new Seats(A1, A2) never returned: the lock is left locked by NewSeats?", tc.heldBy)
					stuck = true
					return
				}
				if err != nil {
					t.Fatalf("Book(\"A1\", %q) on new Seats(A1, A2) = %v, want nil", tc.heldBy, err)
				}
			}
			what := fmt.Sprintf("%s(%q, %q) on %s", method, tc.seat, tc.who, setup)
			var err error
			if !guard.Run(t, limit, what, func() { err = f(s, tc.seat, tc.who) }) {
				t.Errorf("%s never returned: an earlier call left s.mu locked, or this one waits for itself", what)
				stuck = true
				return
			}
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("%s = %v, want %v", what, err, tc.wantErr)
			}
			var holder string
			var herr error
			if !guard.Run(t, limit, "Holder(\"A1\") after "+what, func() { holder, herr = s.Holder("A1") }) {
				t.Errorf("Holder(\"A1\") after %s, which returned %v, never returned. %s", what, err, leaked)
				stuck = true
				return
			}
			if herr != nil || holder != tc.wantHolder {
				t.Errorf("Holder(\"A1\") after %s = (%q, %v), want (%q, nil)", what, holder, herr, tc.wantHolder)
			}
		})
		if stuck {
			return // the other cases would wait out the same limit
		}
	}
}

func TestSeatsBook(t *testing.T) {
	runSeatCases(t, "Book", []seatCase{
		{name: "free", seat: "A1", who: "ana", wantHolder: "ana"},
		{name: "other_seat", seat: "A2", who: "ana", wantHolder: ""},
		{name: "taken", heldBy: "ana", seat: "A1", who: "bia", wantErr: ErrTaken, wantHolder: "ana"},
		{name: "no_such_seat", seat: "Z9", who: "ana", wantErr: ErrNoSuchSeat, wantHolder: ""},
	}, (*Seats).Book)
}

func TestSeatsCancel(t *testing.T) {
	runSeatCases(t, "Cancel", []seatCase{
		{name: "holder", heldBy: "ana", seat: "A1", who: "ana", wantHolder: ""},
		{name: "not_yours", heldBy: "ana", seat: "A1", who: "bia", wantErr: ErrNotYours, wantHolder: "ana"},
		{name: "free", seat: "A1", who: "ana", wantErr: ErrNotYours, wantHolder: ""},
		{name: "no_such_seat", heldBy: "ana", seat: "Z9", who: "ana", wantErr: ErrNoSuchSeat, wantHolder: "ana"},
	}, (*Seats).Cancel)
}

// TestSeatsConcurrent has eight people try to book all of four seats at once, each in
// its own order. Every seat goes to exactly one of them; every other try gets ErrTaken.
func TestSeatsConcurrent(t *testing.T) {
	seats := []string{"A1", "A2", "A3", "A4"}
	people := []string{"ana", "bia", "caio", "davi", "eva", "fabio", "gil", "hana"}
	const what = "8 people each calling Book on all of 4 seats at once, each in its own order"
	s := NewSeats(seats...)
	won := make([][]string, len(people))
	errs := make([]error, len(people))
	if !guard.Run(t, limit, what, func() {
		var wg sync.WaitGroup
		for p, who := range people {
			wg.Go(func() {
				for i := range seats {
					seat := seats[(p+i)%len(seats)]
					err := s.Book(seat, who)
					switch {
					case err == nil:
						won[p] = append(won[p], seat)
					case !errors.Is(err, ErrTaken) && errs[p] == nil:
						errs[p] = fmt.Errorf("Book(%q, %q): %w", seat, who, err)
					}
				}
			})
		}
		wg.Wait()
	}) {
		t.Errorf("%s never finished. Some Book returned ErrTaken and left s.mu locked, and everyone "+
			"else waits for it forever. %s", what, leaked)
		return
	}
	for p, err := range errs {
		if err != nil {
			t.Errorf("%s: %s got %v, want nil or ErrTaken", what, people[p], err)
		}
	}
	want, got := map[string]string{}, map[string]string{}
	for p, ws := range won {
		for _, seat := range ws {
			if other, ok := want[seat]; ok {
				t.Errorf("%s: Book(%q) returned nil for both %s and %s: one seat booked twice", what, seat, other, people[p])
			}
			want[seat] = people[p]
		}
	}
	for _, seat := range seats {
		holder, err := s.Holder(seat)
		if err != nil {
			t.Errorf("Holder(%q) after %s = %v, want nil", seat, what, err)
		}
		got[seat] = holder
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("holders after %s mismatch (-want: whoever Book returned nil for, +got: Holder):\n%s", what, diff)
	}
}
