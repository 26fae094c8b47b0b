package server

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/time/rate"
)

// clock is a fake clock that moves only when the test says so.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestLimiterPerClient(t *testing.T) {
	clk := newClock()
	l := NewLimiter(1, 3, clk.Now)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	url := serve(t, l.Wrap(ok))
	cl := newClients(t)
	const what = "Wrap of NewLimiter(1 a second, burst 3, a fake clock)"

	// send sends the requests of client one after another, and returns their statuses.
	send := func(client string, n int) []int {
		var got []int
		for i := range n {
			a := cl.do(t.Context(), url, fmt.Sprintf("%s%d", client, i), "X-Client", client)
			if a.err != nil {
				t.Fatalf("%s: GET with X-Client %s failed: %v", what, client, a.err)
			}
			if a.status == http.StatusTooManyRequests && !validRetryAfter(a.retryAfter) {
				t.Errorf("%s: 429 with Retry-After %q, want a number of seconds: it tells the client "+
					"when it may try again", what, a.retryAfter)
			}
			got = append(got, a.status)
		}
		return got
	}
	got := map[string][]int{"alice": send("alice", 5), "bob": send("bob", 3)}
	want := map[string][]int{"alice": {200, 200, 200, 429, 429}, "bob": {200, 200, 200}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: 5 requests from alice, then 3 from bob, at one instant: statuses (-want +got):\n%s"+
			"Each client has a bucket of its own (a map from client to *rate.Limiter): alice's burst "+
			"is used up after 3, and that is no reason to refuse bob.", what, diff)
	}

	clk.advance(time.Second)
	got = map[string][]int{"alice": send("alice", 2)}
	want = map[string][]int{"alice": {200, 429}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: 1s of fake time later, 2 more requests from alice: statuses (-want +got):\n%s"+
			"One token comes back each second: ask the limiter with the injected clock's time "+
			"(AllowN(now(), 1)), not time.Now().", what, diff)
	}
}

func TestLimiterRefill(t *testing.T) {
	clk := newClock()
	l := NewLimiter(rate.Every(500*time.Millisecond), 2, clk.Now)
	const what = "NewLimiter(one token every 500ms, burst 2, a fake clock)"
	var got []bool
	allow := func(n int) {
		for range n {
			got = append(got, l.Allow("c"))
		}
	}
	allow(3)                 // the burst, then nothing
	clk.advance(time.Second) // two tokens come back
	allow(3)
	clk.advance(time.Hour) // the bucket holds no more than its burst
	allow(3)
	want := []bool{true, true, false, true, true, false, true, true, false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: Allow(\"c\") 3 times, 1s later 3 times, 1h later 3 times (-want +got):\n%s"+
			"A client starts with a full bucket of 2; tokens come back at the rate, by the injected "+
			"clock, and never beyond the burst.", what, diff)
	}
}

func TestLimiterConcurrent(t *testing.T) {
	const goroutines, calls, burst = 8, 10, 20
	clk := newClock()
	l := NewLimiter(1, burst, clk.Now)
	what := fmt.Sprintf("%d goroutines that each call Allow %d times, taking turns between 2 new clients, on "+
		"NewLimiter(1 a second, burst %d) with the clock stopped", goroutines, calls, burst)
	start := make(chan struct{})
	var mu sync.Mutex
	allowed := map[string]int{}
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			<-start
			for i := range calls {
				client := []string{"carol", "dave"}[i%2]
				if l.Allow(client) {
					mu.Lock()
					allowed[client]++
					mu.Unlock()
				}
			}
		})
	}
	close(start)
	wg.Wait()
	want := map[string]int{"carol": burst, "dave": burst}
	if diff := cmp.Diff(want, allowed); diff != "" {
		t.Errorf("%s: requests allowed (-want +got):\n%s"+
			"Each client gets its burst, no more and no less, however many requests come at once: "+
			"find or create the client's bucket under one lock, so that two first requests cannot "+
			"each create a bucket of their own.", what, diff)
	}

	// The first requests of a new client, many at once, round after round: the window
	// between a look-up that finds no bucket and the insert of a new one is short, so it
	// takes many rounds, on several Ps, for two first requests to meet in it.
	const rounds, firsts = 2000, 16
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(8, runtime.GOMAXPROCS(0))))
	one := NewLimiter(1, 1, clk.Now)
	firstWhat := fmt.Sprintf("%d goroutines parked and then released together, each calling Allow "+
		"once for the same new client, on NewLimiter(1 a second, burst 1) with the clock stopped", firsts)
	for r := range rounds {
		client := fmt.Sprintf("client%d", r)
		start := make(chan struct{})
		var allowed atomic.Int64
		var wg sync.WaitGroup
		for range firsts {
			wg.Go(func() {
				<-start
				if one.Allow(client) {
					allowed.Add(1)
				}
			})
		}
		close(start)
		wg.Wait()
		if n := allowed.Load(); n == 0 {
			t.Errorf("%s (client %q): none allowed, want 1: a client not seen before starts with a "+
				"full bucket", firstWhat, client)
			break
		} else if n > 1 {
			t.Errorf("%s (round %d of %d, client %q): %d allowed, want 1, the client's burst: the first "+
				"requests of a client each found no bucket and each made one, so the client got a "+
				"full burst from each. Look the bucket up and insert a new one under one lock, held "+
				"from the look-up to the insert (taking it twice leaves a gap between the two).",
				firstWhat, r+1, rounds, client, n)
			break
		}
	}
}
