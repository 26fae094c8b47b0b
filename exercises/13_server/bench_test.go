package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/golden"
)

// One op of BenchmarkServe is benchRequests requests sent by benchClients clients at
// once over loopback, each client sending its next request when the last is answered.
const (
	benchClients  = 16
	benchRequests = 64
	// benchLatency is how long the backend behind /io takes to answer: the I/O wait.
	benchLatency = 2 * time.Millisecond
	// benchN is the n of /hash?n=: 2.1 MB of "Bla bla" to hash, about 1.5ms of CPU with
	// the SHA extensions, a few times more without.
	benchN = 300_000
)

// benchFetch is the backend of /io: it waits benchLatency, like a database or a remote
// service would, using no CPU meanwhile.
func benchFetch(ctx context.Context, key string) (string, error) {
	t := time.NewTimer(benchLatency)
	defer t.Stop()
	select {
	case <-t.C:
		return "value of " + key, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// routes is the server of the chapter: the Handler, with its CPU-bound endpoint bound
// to one request per core and a queue long enough for every client of the benchmark.
func routes() http.Handler {
	h := &Handler{Fetch: benchFetch, Hash: BlaBla}
	mux := http.NewServeMux()
	mux.Handle("/io", h)
	mux.Handle("/hash", Bound(h, runtime.GOMAXPROCS(0), 4*benchClients))
	return mux
}

// oneAtATimeHandler serves one request at a time, like Python's http.server.HTTPServer:
// the serial baseline.
type oneAtATimeHandler struct {
	mu   sync.Mutex
	next http.Handler
}

func (s *oneAtATimeHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next.ServeHTTP(w, r)
}

// startPython starts Python's ThreadingHTTPServer with the same two endpoints
// (testdata/13_server/python/server.py: a thread per connection, under the GIL) and
// returns its URL; it kills it when b ends. It skips b unless WORKBOOK_BENCH_PYTHON names
// a Python interpreter: go run ./cmd/workbook bench sets it when it finds python3, so
// that make check runs no Python.
func startPython(b *testing.B) string {
	py := os.Getenv("WORKBOOK_BENCH_PYTHON")
	if py == "" {
		b.Skip("the comparison with Python's ThreadingHTTPServer runs under go run ./cmd/workbook bench 13_server, or with WORKBOOK_BENCH_PYTHON=python3")
	}
	script := golden.Path(b, "13_server/python/server.py")
	cmd := exec.Command(py, "-B", script, fmt.Sprint(benchLatency.Seconds()))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatalf("starting %s: %v", py, err)
	}
	b.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	port := make(chan string, 1)
	go func() { // ends when python prints its port, or exits
		line, _ := bufio.NewReader(out).ReadString('\n')
		port <- strings.TrimSpace(line)
	}()
	timer := time.NewTimer(30 * time.Second)
	defer timer.Stop()
	select {
	case p := <-port:
		if p == "" {
			b.Fatalf("%s %s exited without printing its port", py, script)
		}
		return "http://127.0.0.1:" + p
	case <-timer.C:
		b.Fatalf("%s %s printed no port within 30s", py, script)
		return ""
	}
}

// BenchmarkServe sends benchRequests requests per op from benchClients clients to
// /io (work=io: 2ms of waiting each) or to /hash (work=hash: 2.1 MB to hash each), and
// reports the requests per second and the median and 99th percentile latency.
// server=serial answers one request at a time, server=go is the chapter's server,
// server=python is Python's ThreadingHTTPServer (only with WORKBOOK_BENCH_PYTHON, see
// startPython). Run with -cpu 1,2.
func BenchmarkServe(b *testing.B) {
	for _, work := range []string{"io", "hash"} {
		for _, server := range []string{"serial", "go", "python"} {
			b.Run(fmt.Sprintf("work=%s/server=%s", work, server), func(b *testing.B) {
				var base string
				switch server {
				case "python":
					base = startPython(b)
				case "serial":
					srv := httptest.NewServer(&oneAtATimeHandler{next: routes()})
					b.Cleanup(srv.Close)
					base = srv.URL
				default:
					srv := httptest.NewServer(routes())
					b.Cleanup(srv.Close)
					base = srv.URL
				}
				path := "/io?key=k"
				if work == "hash" {
					path = fmt.Sprintf("/hash?n=%d", benchN)
				}
				load(b, base+path)
			})
		}
	}
}

// load runs the ops of one benchmark against url and reports its metrics.
func load(b *testing.B, url string) {
	tr := &http.Transport{MaxIdleConnsPerHost: benchClients, MaxConnsPerHost: benchClients}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	var latencies []time.Duration
	for b.Loop() {
		lat, err := loadOnce(c, url)
		if err != nil {
			b.Fatalf("GET %s: %v", url, err)
		}
		latencies = append(latencies, lat...)
	}
	b.ReportMetric(float64(b.N*benchRequests)/b.Elapsed().Seconds(), "req/s")
	slices.Sort(latencies)
	at := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))].Microseconds())
	}
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// loadOnce sends benchRequests requests from benchClients clients and returns the
// latency of each, or the first error.
func loadOnce(c *http.Client, url string) ([]time.Duration, error) {
	lat := make([]time.Duration, benchRequests)
	errs := make(chan error, benchClients) // one per client at most: no send blocks
	var next atomic.Int64
	var wg sync.WaitGroup
	for range benchClients {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= benchRequests {
					return
				}
				start := time.Now()
				if err := getOK(c, url); err != nil {
					errs <- err
					return
				}
				lat[i] = time.Since(start)
			}
		})
	}
	wg.Wait()
	select {
	case err := <-errs:
		return nil, err
	default:
		return lat, nil
	}
}

// getOK sends GET url and reads the answer, which must be 200.
func getOK(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	return nil
}
