package deadlock

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
	"github.com/google/go-cmp/cmp"
)

// stuck is how long a guarded run of transfers may take before it is reported as a
// deadlock. Correct code finishes the runs below in a few milliseconds, even under -race.
const stuck = 3 * time.Second

// transferFrame is how a call of Transfer appears on a goroutine's stack.
const transferFrame = "_deadlock.Transfer("

// moveCase is one call of Transfer or TryTransfer with no other transfer running:
// opening balances, the amount, and what must come of it.
type moveCase struct {
	name     string
	from, to int // opening balances
	amount   int
	same     bool // transfer from an account to itself
	wantErr  error
	wantFrom int
	wantTo   int
}

// moveCases are the cases of TestTransferMoves and TestTryTransferMoves.
var moveCases = []moveCase{
	{name: "moves", from: 100, to: 50, amount: 30, wantFrom: 70, wantTo: 80},
	{name: "whole_balance", from: 30, to: 0, amount: 30, wantFrom: 0, wantTo: 30},
	{name: "insufficient", from: 20, to: 50, amount: 30, wantErr: ErrInsufficientFunds, wantFrom: 20, wantTo: 50},
	{name: "zero", from: 20, to: 50, amount: 0, wantErr: ErrInvalidAmount, wantFrom: 20, wantTo: 50},
	{name: "negative", from: 20, to: 50, amount: -30, wantErr: ErrInvalidAmount, wantFrom: 20, wantTo: 50},
	{name: "same_account", from: 100, amount: 30, same: true, wantErr: ErrSameAccount, wantFrom: 100},
}

func TestTransferMoves(t *testing.T) {
	for _, tc := range moveCases {
		t.Run(tc.name, func(t *testing.T) {
			from, to := NewAccount(1, tc.from), NewAccount(2, tc.to)
			call := fmt.Sprintf("Transfer(from with %d, to with %d, %d)", tc.from, tc.to, tc.amount)
			if tc.same {
				to = from
				call = fmt.Sprintf("Transfer(a, a, %d) with a holding %d", tc.amount, tc.from)
			}
			var err error
			if !guard.Run(t, stuck, call, func() { err = Transfer(from, to, tc.amount) }) {
				t.Errorf("%s never returned. A sync.Mutex is not reentrant: locking an "+
					"account that this goroutine already holds waits forever; check from == to first", call)
				return
			}
			if tc.wantErr == nil {
				if err != nil {
					t.Errorf("%s = %v, want nil: the accounts differ, the amount is positive and from "+
						"holds it, so the money must move", call, err)
				}
			} else if !errors.Is(err, tc.wantErr) {
				t.Errorf("%s = %v, want %v: check from == to before you lock anything, then that the "+
					"amount is positive, and the funds only once you hold both locks (move does)",
					call, err, tc.wantErr)
			}
			if got := from.Balance(); got != tc.wantFrom {
				t.Errorf("%s: from's balance afterwards = %d, want %d: a transfer that returns nil takes "+
					"exactly amount out of from, one that returns an error moves nothing", call, got, tc.wantFrom)
			}
			if !tc.same {
				if got := to.Balance(); got != tc.wantTo {
					t.Errorf("%s: to's balance afterwards = %d, want %d: a transfer that returns nil puts "+
						"exactly amount into to, one that returns an error moves nothing", call, got, tc.wantTo)
				}
			}
		})
	}
}

// TestTransferLockOrder finds out, for Transfer(a, b) and for Transfer(b, a), which lock
// the transfer takes first, without waiting for a deadlock to happen: the test holds the
// destination's lock, waits until the transfer is parked on it, and checks whether the
// source's lock is taken. The two directions must take the same account first.
func TestTransferLockOrder(t *testing.T) {
	a, b := NewAccount(1, 100), NewAccount(2, 100)
	firstAB, ok := firstLock(t, a, b, "a", "b")
	if !ok {
		return
	}
	firstBA, ok := firstLock(t, b, a, "b", "a")
	if !ok {
		return
	}
	if firstAB != firstBA {
		t.Errorf("Transfer(a, b) locks %s first but Transfer(b, a) locks %s first: it locks in "+
			"argument order, not by key, so two transfers in opposite directions can each hold one "+
			"account and wait forever for the other. Lock the account with the smaller ID first",
			firstAB, firstBA)
	}
	if diff := cmp.Diff([]int{100, 100}, []int{a.Balance(), b.Balance()}); diff != "" {
		t.Errorf("balances of a and b, each opening with 100, after Transfer(a, b, 5) and Transfer(b, a, 5) "+
			"mismatch (-want +got): money was created or lost; each transfer moves 5 out of one account "+
			"and into the other while it holds both locks:\n%s", diff)
	}
}

// firstLock runs Transfer(from, to, 5) while the test holds to's lock and returns the
// name of the account whose lock the transfer took first. It reports false, having
// failed t, if the transfer did not wait for to's lock.
func firstLock(t *testing.T, from, to *Account, fromName, toName string) (string, bool) {
	t.Helper()
	call := fmt.Sprintf("Transfer(%s, %s, 5)", fromName, toName)
	to.mu.Lock()
	done := make(chan error, 1)
	go func() { done <- Transfer(from, to, 5) }()
	parked := guard.AwaitState(transferFrame, "sync.Mutex.Lock", stuck)
	fromHeld := parked && !from.mu.TryLock()
	if parked && !fromHeld {
		from.mu.Unlock()
	}
	to.mu.Unlock()
	var err error
	select {
	case err = <-done:
	case <-time.After(stuck):
		t.Errorf("%s did not return within %v after the test released %s's lock:\n%s",
			call, stuck, toName, guard.Stacks(nil))
		return "", false
	}
	if !parked {
		t.Errorf("%s returned %v while the test held %s's lock: a transfer must hold both "+
			"accounts' locks (sync.Mutex.Lock) while it moves money", call, err, toName)
		return "", false
	}
	if err != nil {
		t.Errorf("%s with 100 in each account = %v, want nil: once it holds both locks the transfer "+
			"has the funds and must move them", call, err)
		return "", false
	}
	if fromHeld {
		return fromName, true
	}
	return toName, true
}

// transferPlan is the transfers one goroutine of a stress run makes: random pairs of
// distinct accounts, in both directions, from a fixed seed.
func transferPlan(seed uint64, accounts, transfers, maxAmount int) [][3]int {
	r := rand.New(rand.NewPCG(seed, 5))
	plan := make([][3]int, transfers)
	for i := range plan {
		from := r.IntN(accounts)
		to := r.IntN(accounts - 1)
		if to >= from {
			to++
		}
		plan[i] = [3]int{from, to, 1 + r.IntN(maxAmount)}
	}
	return plan
}

// stressFor is how long a stress run keeps making transfers. Code that locks in
// argument order deadlocks well within it (DESIGN.md: 30 runs out of 30 within 300ms).
const stressFor = 300 * time.Millisecond

// stress runs workers goroutines under a watchdog with the given limit, each making
// random transfers of 1 to maxAmount among the accounts, over and over, for stressFor.
// It returns the balances the accounts must have afterwards, worked out from the
// transfers that succeeded, or false if the run deadlocked.
func stress(t *testing.T, what string, limit time.Duration, accounts []*Account, workers, maxAmount int) ([]int, bool) {
	t.Helper()
	want := balances(accounts)
	deltas := make([][]int, workers)
	errs := make([]error, workers)
	ok := guard.Run(t, limit, what, func() {
		deadline := time.Now().Add(stressFor)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				deltas[w] = make([]int, len(accounts))
				plan := transferPlan(uint64(w), len(accounts), 1000, maxAmount)
				for i := 0; i%64 != 0 || time.Now().Before(deadline); i++ {
					tr := plan[i%len(plan)]
					from, to, amount := tr[0], tr[1], tr[2]
					err := Transfer(accounts[from], accounts[to], amount)
					switch {
					case err == nil:
						deltas[w][from] -= amount
						deltas[w][to] += amount
					case !errors.Is(err, ErrInsufficientFunds) && errs[w] == nil:
						errs[w] = fmt.Errorf("Transfer(account %d, account %d, %d): %w", from, to, amount, err)
					}
				}
			})
		}
		wg.Wait()
	})
	if !ok {
		return nil, false
	}
	for _, err := range errs {
		if err != nil {
			t.Errorf("%s: %v, want nil or ErrInsufficientFunds: a transfer between two different "+
				"accounts with a positive amount fails only for lack of funds", what, err)
		}
	}
	for _, delta := range deltas {
		for i, d := range delta {
			want[i] += d
		}
	}
	return want, true
}

func balances(accounts []*Account) []int {
	got := make([]int, len(accounts))
	for i, a := range accounts {
		got[i] = a.Balance()
	}
	return got
}

func openAccounts(n, balance int) []*Account {
	accounts := make([]*Account, n)
	for i := range accounts {
		accounts[i] = NewAccount(i+1, balance)
	}
	return accounts
}

// severalThreads runs the rest of a stress test with at least 4 threads running Go code.
// With one (-cpu 1) goroutines interleave only where the scheduler preempts them, every
// 10ms or so, and a loaded machine gives a 300ms run few such moments; with several the
// OS interleaves them at any instruction, so a wrong order of locks or a critical section
// split in two shows within the run.
func severalThreads(t *testing.T) {
	if procs := runtime.GOMAXPROCS(0); procs < 4 {
		runtime.GOMAXPROCS(4)
		t.Cleanup(func() { runtime.GOMAXPROCS(procs) })
	}
}

// TestTransferStress is the seed's program made into a loop: four goroutines transfer
// between three accounts in both directions. Code that locks in argument order
// deadlocks here, usually within milliseconds.
func TestTransferStress(t *testing.T) {
	severalThreads(t) // two transfers in opposite directions each take one lock
	accounts := openAccounts(3, 1_000_000)
	const what = "4 goroutines making Transfers among 3 accounts in both directions for 300ms"
	want, ok := stress(t, what, stuck, accounts, 4, 10)
	if !ok {
		t.Errorf("%s deadlocked: two transfers in opposite directions each hold one account's "+
			"lock and wait for the other's. Lock the account with the smaller ID first", what)
		return
	}
	if diff := cmp.Diff(want, balances(accounts)); diff != "" {
		t.Errorf("balances after %s mismatch (-want +got):\n%s", what, diff)
	}
}

// TestTransferConservesMoney makes many transfers that fail for lack of funds among
// accounts with little money. Every account must end with exactly its opening balance
// plus what the successful transfers moved in minus what they moved out: a check and a
// move that are not under the same locks lose or create money.
func TestTransferConservesMoney(t *testing.T) {
	severalThreads(t) // a transfer that lets go of its locks between reading and writing loses money
	accounts := openAccounts(4, 20)
	const what = "4 goroutines making Transfers of 1 to 10 among 4 accounts holding 20 for 300ms"
	want, ok := stress(t, what, stuck, accounts, 4, 10)
	if !ok {
		return
	}
	got := balances(accounts)
	total := 0
	for i, b := range got {
		total += b
		if b < 0 {
			t.Errorf("account %d's balance after %s = %d, want at least 0: a transfer took more "+
				"than the account held (check the funds under the same locks as the move)", i, what, b)
		}
	}
	if total != 80 {
		t.Errorf("total of all balances after %s = %d, want 80: money was created or lost; a transfer "+
			"that lets go of a lock between reading a balance and writing it overwrites another "+
			"transfer's update", what, total)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("balances after %s mismatch (-want +got):\n%s\nWant is each opening balance plus "+
			"what the transfers that returned nil moved. A transfer that reads a balance, lets go of "+
			"the lock and writes later overwrites the other transfers' updates", what, diff)
	}
}

// TestTransferNoOverdraft starts three Transfers of 10 from an account holding 10 while
// the test holds the destination's lock, waits until all three are parked on a lock,
// then lets them go. The destination is locked first whatever the order (each round puts
// the smaller ID on another side), so a transfer that checks the funds before it takes
// the locks has passed its check by then: all three saw 10 (check-then-act).
func TestTransferNoOverdraft(t *testing.T) {
	rounds := []struct {
		name           string
		fromID, destID int
	}{
		{name: "dest_smaller_id", fromID: 2, destID: 1},
		{name: "dest_larger_id", fromID: 1, destID: 2},
	}
	for _, r := range rounds {
		t.Run(r.name, func(t *testing.T) {
			a, b := NewAccount(r.fromID, 10), NewAccount(r.destID, 0)
			const call = "Transfer(a, b, 10) three times at the same time, with a holding 10"
			b.mu.Lock()
			errs := make(chan error, 3)
			for range 3 {
				go func() { errs <- Transfer(a, b, 10) }()
			}
			parked := awaitParked(transferFrame, 3, stuck)
			b.mu.Unlock()
			var succeeded, refused int
			for range 3 {
				select {
				case err := <-errs:
					switch {
					case err == nil:
						succeeded++
					case errors.Is(err, ErrInsufficientFunds):
						refused++
					default:
						t.Errorf("%s: a transfer returned %v, want nil or ErrInsufficientFunds", call, err)
					}
				case <-time.After(stuck):
					t.Errorf("%s: the transfers did not all return within %v after the test released "+
						"b's lock:\n%s", call, stuck, guard.Stacks(nil))
					return
				}
			}
			if !parked {
				t.Errorf("%s: the three transfers were not all waiting on a lock (sync.Mutex.Lock) "+
					"within %v while the test held b's lock: a transfer must hold both accounts' locks "+
					"while it moves money", call, stuck)
			}
			if got := a.Balance(); got < 0 || succeeded > 1 {
				t.Errorf("%s: a's balance ended at %d, want 0, and %d transfers returned nil, want 1: "+
					"each transfer checked a's funds before it held the locks that guard the debit "+
					"(check-then-act), so several saw 10 and each took it. Check the balance after "+
					"taking both locks, in the same critical section as the move", call, got, succeeded)
				return
			}
			wantOnePaid(t, call, succeeded, refused, a, b)
		})
	}
}

// awaitParked waits up to limit until k goroutines running fn are parked in
// sync.Mutex.Lock, and reports whether they were.
func awaitParked(fn string, k int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for {
		parked := 0
		for _, s := range guard.States(fn) {
			if strings.HasPrefix(s, "sync.Mutex.Lock") {
				parked++
			}
		}
		if parked >= k {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond)
	}
}

// TestTransferDisjoint checks that transfers sharing no account do not wait for each
// other: while Transfer(a, b) waits for a's lock, which the test holds, transfers between
// c and d must go on.
func TestTransferDisjoint(t *testing.T) {
	a, b := NewAccount(1, 100), NewAccount(2, 100)
	cd := []*Account{NewAccount(3, 1_000_000), NewAccount(4, 1_000_000)}
	a.mu.Lock()
	blocked := make(chan error, 1)
	go func() { blocked <- Transfer(a, b, 10) }()
	if !guard.AwaitState(transferFrame, "sync.Mutex.Lock", stuck) {
		a.mu.Unlock()
		t.Errorf("Transfer(a, b, 10) did not wait on a sync.Mutex while the test held a's lock: " +
			"a transfer must hold both accounts' locks while it moves money")
		return
	}
	const what = "Transfers between c and d in both directions while Transfer(a, b, 10) waited for a's lock"
	want, ok := stress(t, what, 2*time.Second, cd, 4, 10)
	if !ok {
		// Tell a global lock (c and d are free, their transfers wait for it) from a
		// deadlock between c and d (each held by a transfer waiting for the other).
		cFree, dFree := cd[0].mu.TryLock(), cd[1].mu.TryLock()
		if cFree {
			cd[0].mu.Unlock()
		}
		if dFree {
			cd[1].mu.Unlock()
		}
		if cFree && dFree {
			t.Errorf("one global lock serialises transfers that share no account: %s never "+
				"finished, and c's and d's locks were free. Lock only the two accounts", what)
		} else {
			t.Errorf("%s deadlocked: one holds c and waits for d, another holds d and waits "+
				"for c. Lock the account with the smaller ID first", what)
		}
	}
	a.mu.Unlock()
	select {
	case err := <-blocked:
		if err != nil {
			t.Errorf("Transfer(a, b, 10) with 100 in a = %v after the test released a's lock, want nil: "+
				"once it holds both locks the transfer has the funds and must move them", err)
		}
	case <-time.After(stuck):
		t.Errorf("Transfer(a, b, 10) did not return within %v after the test released a's lock", stuck)
		return
	}
	if !ok {
		return
	}
	if diff := cmp.Diff([]int{90, 110}, []int{a.Balance(), b.Balance()}); diff != "" {
		t.Errorf("balances of a and b, each opening with 100, after Transfer(a, b, 10) mismatch (-want +got): "+
			"money was created or lost; the transfer that returned nil moves 10 from a to b:\n%s", diff)
	}
	if diff := cmp.Diff(want, balances(cd)); diff != "" {
		t.Errorf("balances of c and d after %s mismatch (-want +got):\n%s", what, diff)
	}
}

// wantOnePaid checks the end of three transfers of 10 from a, which held 10, to b, which
// held 0: one returned nil, two ErrInsufficientFunds, and 10 moved.
func wantOnePaid(t *testing.T, call string, succeeded, refused int, a, b *Account) {
	t.Helper()
	if diff := cmp.Diff([]int{1, 2}, []int{succeeded, refused}); diff != "" {
		t.Errorf("%s: transfers that returned nil, and ErrInsufficientFunds, mismatch (-want +got): "+
			"a's 10 pays for exactly one transfer of 10, and the other two must be refused:\n%s",
			call, diff)
	}
	if diff := cmp.Diff([]int{0, 10}, []int{a.Balance(), b.Balance()}); diff != "" {
		t.Errorf("balances of a and b after %s mismatch (-want +got): money was created or lost; "+
			"the transfer that returned nil moves 10 from a to b, the refused ones move nothing:\n%s",
			call, diff)
	}
}
