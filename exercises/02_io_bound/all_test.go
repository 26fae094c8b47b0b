package iobound

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// The tests of the all exercise, FetchAll in all.go.

// TestAllBodies checks, in fake time, that FetchAll returns the twenty documents in order
// and has all twenty fetches in flight at once.
func TestAllBodies(t *testing.T) {
	c := loadCorpus(t)
	t.Run("20docs", func(t *testing.T) {
		what := fmt.Sprintf("FetchAll(20 docs, latency %v)", latency)
		bubble(t, what, func(t *testing.T) {
			f := newFake(c, latency)
			var (
				got [][]byte
				err error
			)
			o, ok := invoke(t, what, f, func() { got, err = FetchAll(t.Context(), f.Fetch, c.names) })
			if !ok {
				return
			}
			requireNoError(t, what, err)
			checkBodies(t, what, c, c.names, got)
			checkConcurrent(t, what, f, o, len(c.names))
		})
	})
	t.Run("nodocs", func(t *testing.T) {
		what := "FetchAll(no documents)"
		bubble(t, what, func(t *testing.T) {
			f := newFake(c, latency)
			got, err := FetchAll(t.Context(), f.Fetch, nil)
			if len(got) != 0 || err != nil {
				t.Errorf("%s = (%v, %v), want no bodies and no error", what, got, err)
			}
		})
	})
}

// TestAllFirstError makes one fetch fail while the others would take a minute: FetchAll
// must return that error at once, the other fetches seeing their context cancelled.
func TestAllFirstError(t *testing.T) {
	testFirstError(t, "FetchAll", FetchAll)
}

// TestAllNoLeak checks that FetchAll leaves nothing running after an error: no fetch in
// flight when it returns, in fake time, and no goroutine left at all, in real time.
func TestAllNoLeak(t *testing.T) {
	c := loadCorpus(t)
	t.Run("fake", func(t *testing.T) {
		what := fmt.Sprintf("FetchAll(20 docs, %s fails after %v, the others take %v)", failing, failAfter, slow)
		bubble(t, what, func(t *testing.T) {
			f := newFake(c, slow)
			f.fail = failing
			var err error
			o, ok := invoke(t, what, f, func() { _, err = FetchAll(t.Context(), f.Fetch, c.names) })
			if !ok {
				return
			}
			require.ErrorIs(t, err, errBoom, "%s must return the failed fetch's error", what)
			if o.inFlight > 0 {
				t.Errorf("%s returned while %d fetches were still running: goroutines left behind. "+
					"Cancel the others, then wait for every goroutine you started before returning, "+
					"even after an error.", what, o.inFlight)
			}
			// If a goroutine is still blocked when this function returns, the bubble reports it.
		})
	})
	t.Run("real", func(t *testing.T) {
		what := fmt.Sprintf("FetchAll(20 docs, %s fails at once, the others wait for cancellation)", failing)
		before := goleak.IgnoreCurrent()
		fetch := func(ctx context.Context, name string) ([]byte, error) {
			if name == failing {
				return nil, errBoom
			}
			<-ctx.Done()
			return nil, ctx.Err()
		}
		var err error
		if !guard.Run(t, limit, what, func() { _, err = FetchAll(t.Context(), fetch, c.names) }) {
			return
		}
		require.ErrorIs(t, err, errBoom, "%s must return the failed fetch's error", what)
		if leak := goleak.Find(before); leak != nil {
			t.Errorf("%s returned, and goroutines it started are still there: a goroutine leak. "+
				"A goroutine blocked on a send that nobody will receive, or waiting for a context "+
				"nobody cancels, stays for ever. %v", what, leak)
		}
	})
}

// startServer serves the corpus over HTTP on a loopback address, each response after
// latency, and returns a Fetcher for it. Closing the server and the client's idle
// connections is left to t's cleanup.
func startServer(t testing.TB, c corpus, latency time.Duration) Fetcher {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		timer := time.NewTimer(latency)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return
		}
		doc, ok := c.docs[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(doc)
	}))
	t.Cleanup(srv.Close)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	t.Cleanup(tr.CloseIdleConnections)
	return HTTPFetcher(&http.Client{Transport: tr}, srv.URL)
}

// TestAllHTTP fetches the corpus from a real HTTP server on the loopback interface, 50ms
// a response: the real thing the fakes stand for. It checks what comes back, not how fast
// (that is the benchmarks' job).
func TestAllHTTP(t *testing.T) {
	c := loadCorpus(t)
	fetch := startServer(t, c, 50*time.Millisecond)
	t.Run("20docs", func(t *testing.T) {
		what := "FetchAll(20 docs over HTTP, 50ms a response)"
		var (
			got [][]byte
			err error
		)
		if !guard.Run(t, limit, what, func() { got, err = FetchAll(t.Context(), fetch, c.names) }) {
			return
		}
		requireNoError(t, what, err)
		checkBodies(t, what, c, c.names, got)
	})
	t.Run("missing", func(t *testing.T) {
		names := append(c.names[:5:5], "rfc9999.txt")
		what := fmt.Sprintf("FetchAll(%q over HTTP), where the server answers 404 Not Found for rfc9999.txt", names)
		var (
			got [][]byte
			err error
		)
		if !guard.Run(t, limit, what, func() { got, err = FetchAll(t.Context(), fetch, names) }) {
			return
		}
		if err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("%s returned (%d bodies, error %v), want the fetch's 404 error", what, len(got), err)
		}
	})
}
