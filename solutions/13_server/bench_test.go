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
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
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

// pythonServer is the same two endpoints on Python's ThreadingHTTPServer: a thread per
// connection, under the GIL. It prints its port, then serves until killed.
const pythonServer = `
import hashlib, sys, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlparse, parse_qs

LATENCY = float(sys.argv[1])

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the Go server
    disable_nagle_algorithm = True  # headers and body go in two writes

    def do_GET(self):
        url = urlparse(self.path)
        q = parse_qs(url.query)
        if url.path == "/io":
            time.sleep(LATENCY)
            body = ("value of " + q.get("key", [""])[0]).encode()
        elif url.path == "/hash":
            body = hashlib.sha256(b"Bla bla" * int(q["n"][0])).hexdigest().encode()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default backlog of 5 drops connections under load

srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
`

// startPython starts pythonServer and returns its URL; it kills it when b ends. It skips
// b if there is no python3.
func startPython(b *testing.B) string {
	py, err := exec.LookPath("python3")
	if err != nil {
		b.Skip("no python3 on PATH: the comparison with ThreadingHTTPServer is skipped")
	}
	script := filepath.Join(b.TempDir(), "server.py")
	if err := os.WriteFile(script, []byte(pythonServer), 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(py, script, fmt.Sprint(benchLatency.Seconds()))
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
// server=python is Python's ThreadingHTTPServer. Run with -cpu 1,2.
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
