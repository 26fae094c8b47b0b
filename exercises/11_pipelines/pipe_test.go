package pipelines

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// exchanged is what Exchange returned, and how many Writes on its conn were still in
// progress at that instant.
type exchanged struct {
	replies []string
	err     error
	writing int64
}

// startExchange calls Exchange(conn, reqs) in a goroutine of its own.
func startExchange(conn net.Conn, reqs []string) <-chan exchanged {
	res := make(chan exchanged, 1)
	go func() {
		replies, err := Exchange(conn, reqs)
		var writing int64
		if c, ok := conn.(*trackedConn); ok {
			c.returned.Store(true)
			writing = c.writing.Load() // at the instant Exchange returned
		}
		res <- exchanged{replies, err, writing}
	}()
	return res
}

// trackedConn is an end of a net.Pipe that counts the Writes in progress on it, and the
// Writes that start after Exchange returned. A Write that fails (the pipe was closed)
// takes a millisecond of fake time to return, as a real socket's close can, so that a
// goroutine still writing when Exchange returns is seen.
type trackedConn struct {
	net.Conn
	writing  atomic.Int64
	returned atomic.Bool  // Exchange has returned
	late     atomic.Int64 // Writes started after that
}

func (c *trackedConn) Write(p []byte) (int, error) {
	if c.returned.Load() {
		c.late.Add(1)
	}
	c.writing.Add(1)
	defer c.writing.Add(-1)
	n, err := c.Conn.Write(p)
	if err != nil {
		time.Sleep(time.Millisecond)
	}
	return n, err
}

// awaitExchange waits up to fakeLimit for Exchange to return. If it has not, it closes
// both ends of the pipe, which ends every Read and Write on them, so that the goroutines
// stuck in them can end, and fails t saying why.
func awaitExchange(t *testing.T, what string, res <-chan exchanged, ends ...net.Conn) (exchanged, bool) {
	t.Helper()
	select {
	case r := <-res:
		return r, true
	case <-time.After(fakeLimit):
	}
	t.Errorf("%s has not returned after %v of fake time: deadlock: all goroutines in bubble are "+
		"blocked, Exchange waiting for the other end, which waits for it. net.Pipe has no buffer: "+
		"a Write waits until the other end Reads. If Exchange writes request 2 while the other end "+
		"writes reply 1, both ends write and nobody reads. Write the requests in a goroutine of "+
		"their own while Exchange reads the replies (or read each reply before writing the next "+
		"request). The stuck goroutines:\n\n%s", what, fakeLimit, strings.Join(leftBehind(), "\n\n"))
	for _, c := range ends {
		c.Close()
	}
	<-res
	return exchanged{}, false
}

// requests returns n requests of about size bytes each.
func requests(n, size int) []string {
	reqs := make([]string, n)
	for i := range reqs {
		reqs[i] = fmt.Sprintf("request %d %s", i, strings.Repeat("x", max(size-12, 0)))
	}
	return reqs
}

func upper(reqs []string) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = strings.ToUpper(r)
	}
	return out
}

func TestPipeExchange(t *testing.T) {
	tests := []struct {
		name    string
		n, size int
	}{
		{name: "none", n: 0, size: 10},
		{name: "one", n: 1, size: 10},
		{name: "three", n: 3, size: 10},
		{name: "many", n: 200, size: 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			what := fmt.Sprintf("Exchange(one end of a net.Pipe, %d requests of %d bytes) with Serve(the "+
				"other end, strings.ToUpper)", tt.n, tt.size)
			guard.Bubble(t, limit, what, func(t *testing.T) {
				parent, child := net.Pipe()
				served := make(chan error, 1)
				go func() { served <- Serve(child, strings.ToUpper) }()
				reqs := requests(tt.n, tt.size)
				r, ok := awaitExchange(t, what, startExchange(parent, reqs), parent, child)
				parent.Close() // in case Exchange did not: Serve ends at the end of the requests
				<-served
				if !ok {
					return
				}
				if r.err != nil {
					t.Errorf("%s returned error %v, want nil", what, r.err)
				}
				if diff := cmp.Diff(upper(reqs), r.replies, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s: the replies differ (-want +got):\n%s\nWant one reply per request, "+
						"in the order of the requests.", what, diff)
				}
			})
		})
	}
}

func TestPipeCloses(t *testing.T) {
	const what = `Exchange(one end of a net.Pipe, ["hello"]) with Serve(the other end, strings.ToUpper)`
	guard.Bubble(t, limit, what, func(t *testing.T) {
		parent, child := net.Pipe()
		served := make(chan error, 1)
		go func() { served <- Serve(child, strings.ToUpper) }()
		r, ok := awaitExchange(t, what, startExchange(parent, []string{"hello"}), parent, child)
		if !ok {
			<-served
			return
		}
		if diff := cmp.Diff([]string{"HELLO"}, r.replies); r.err != nil || diff != "" {
			t.Errorf("%s = %q, %v, want [\"HELLO\"], nil", what, r.replies, r.err)
		}
		synctest.Wait() // Serve has returned by now, if Exchange closed its end
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("%s: Serve returned %v, want nil at the end of the requests", what, err)
			}
		default:
			t.Errorf("%s returned, but Serve on the other end still waits for the next request: "+
				"Exchange must close its end when it is done (Python's parent calls conn.close(); "+
				"without it, the child's recv() never raises EOFError and the child never ends)", what)
			child.Close()
			<-served
			return
		}
		if left := leftBehind(); len(left) > 0 {
			t.Errorf("%s returned, but %s\nA goroutine that Exchange starts must end before "+
				"Exchange returns.", what, describe(left))
		}
	})
}

func TestPipePeerGone(t *testing.T) {
	const n, answered = 5, 2
	what := fmt.Sprintf("Exchange(one end of a net.Pipe, %d requests) with the other end answering "+
		"%d of them and closing", n, answered)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		parent, child := net.Pipe()
		go func() {
			defer child.Close()
			lines := bufio.NewScanner(child)
			for i := 0; i < answered && lines.Scan(); i++ {
				if _, err := fmt.Fprintln(child, strings.ToUpper(lines.Text())); err != nil {
					return
				}
			}
		}()
		reqs := requests(n, 10)
		r, ok := awaitExchange(t, what, startExchange(parent, reqs), parent, child)
		if !ok {
			return
		}
		if r.err == nil {
			t.Errorf("%s = %q, nil, want an error: only %d of the %d replies came before the pipe "+
				"closed", what, r.replies, answered, n)
		}
		if len(r.replies) > answered {
			t.Errorf("%s returned %d replies, want at most the %d that came", what, len(r.replies), answered)
		} else if diff := cmp.Diff(upper(reqs)[:len(r.replies)], r.replies, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: the replies differ from the first ones sent (-want +got):\n%s", what, diff)
		}
		synctest.Wait()
		if left := leftBehind(); len(left) > 0 {
			t.Errorf("%s returned, but %s\nA goroutine that Exchange starts must end before "+
				"Exchange returns, after an error too.", what, describe(left))
		}
	})
}

func TestPipeWriterEnds(t *testing.T) {
	const n, size, answered = 20, 1000, 2
	what := fmt.Sprintf("Exchange(one end of a net.Pipe, %d requests of %d bytes) with the other "+
		"end answering %d of them and closing", n, size, answered)
	guard.Bubble(t, limit, what, func(t *testing.T) {
		parent, child := net.Pipe()
		go func() {
			defer child.Close()
			lines := bufio.NewScanner(child)
			for i := 0; i < answered && lines.Scan(); i++ {
				if _, err := fmt.Fprintln(child, strings.ToUpper(lines.Text())); err != nil {
					return
				}
			}
		}()
		conn := &trackedConn{Conn: parent}
		r, ok := awaitExchange(t, what, startExchange(conn, requests(n, size)), parent, child)
		if !ok {
			return
		}
		if r.err == nil {
			t.Errorf("%s = %d replies, nil, want an error: only %d of the %d replies came before "+
				"the pipe closed", what, len(r.replies), answered, n)
		}
		time.Sleep(time.Millisecond) // lets a writer left behind end before the bubble does
		synctest.Wait()
		if late := conn.late.Load(); r.writing > 0 || late > 0 {
			t.Errorf("%s returned while the goroutine that writes the requests was still running "+
				"(%d Writes on its end of the pipe in progress when it returned, %d started after): "+
				"that goroutine lives on after the call, a goroutine left behind. The other end "+
				"stopped reading, so the goroutine waits in Write until the pipe closes; after "+
				"conn.Close(), receive its result (<-written) before returning, so that it has "+
				"ended when Exchange returns, after an error too", what, r.writing, late)
		}
	})
}
