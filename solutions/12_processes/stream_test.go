package processes

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// streamCall is a call of Stream running on a goroutine of its own.
type streamCall struct {
	jobs     chan string
	results  chan string
	returned chan struct{} // closed when Stream has returned
	err      error         // what it returned: read it only after returned is closed
	close    func()        // closes jobs, once
}

// startStream calls Stream(argv, jobs, results) on a goroutine of its own, with channels
// of the given capacities. At the end of the test it closes jobs, drains results and
// waits for Stream to return, killing the workers of dir if it will not.
func startStream(t *testing.T, argv []string, dir string, jobsCap, resultsCap int) *streamCall {
	c := &streamCall{jobs: make(chan string, jobsCap), results: make(chan string, resultsCap),
		returned: make(chan struct{})}
	c.close = sync.OnceFunc(func() { close(c.jobs) })
	go func() {
		defer close(c.returned)
		c.err = Stream(argv, c.jobs, c.results)
	}()
	t.Cleanup(func() {
		c.close()
		go func() { // ends when Stream returns
			for {
				select {
				case <-c.results:
				case <-c.returned:
					return
				}
			}
		}()
		// A test that failed may have left a worker hung or blocked on a pipe: end it.
		if t.Failed() || !within(t, limit, "Stream", func() { <-c.returned }) {
			for _, p := range records(dir) {
				p.kill()
			}
			within(t, limit, "Stream", func() { <-c.returned })
		}
	})
	return c
}

// drain returns the values already in ch, without waiting for more.
func drain(ch chan string) []string {
	var out []string
	for {
		select {
		case v := <-ch:
			out = append(out, v)
		default:
			return out
		}
	}
}

func TestStreamResults(t *testing.T) {
	argv := worker(t, "sha")
	dir := os.Getenv(recordsEnv)
	jobs := []string{"Bla bla", "multiprocessing", "Process(target=f)", "p.start()", "p.join()"}
	what := fmt.Sprintf("Stream(%s, %d jobs)", show(argv), len(jobs))
	c := startStream(t, argv, dir, len(jobs), len(jobs)+100)
	for _, j := range jobs {
		c.jobs <- j
	}
	c.close()
	if !within(t, limit, what, func() { <-c.returned }) {
		t.Errorf("%s with every job already sent and jobs closed was still running after %v, with %d "+
			"results sent: it must close the worker's stdin when jobs is closed, read the rest of the "+
			"worker's stdout, and wait for the worker to exit%s", what, limit, len(c.results), stuck(dir))
		return
	}
	got := drain(c.results)
	var want []string
	for _, j := range jobs {
		want = append(want, shaOf(j))
	}
	if !started(t, what, dir, fmt.Sprintf("%v with %d results", c.err, len(got))) {
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s sent the wrong results, or not all of them (-want +got):\n%s\nThe worker writes one "+
			"line, the SHA-256 of the job in hex, for each line it reads: every line of its stdout must be "+
			"sent on results, in order, before Stream returns", what, diff)
	}
	if c.err != nil {
		t.Errorf("%s = %v, want nil: the worker exited with status 0", what, c.err)
	}
	checkReaped(t, what, dir)
}

func TestStreamInterleaved(t *testing.T) {
	argv := worker(t, "sha")
	dir := os.Getenv(recordsEnv)
	const n = 5
	what := fmt.Sprintf("Stream(%s, jobs, results) with each job sent only after the result of the one before", show(argv))
	c := startStream(t, argv, dir, 0, 0)
	var step atomic.Int32 // 2i+1 while job i is being sent, 2i+2 while its result is awaited
	var problem string    // read only after the body returned
	ok := within(t, limit, what, func() {
		for i := range n {
			job := fmt.Sprintf("job %d", i)
			step.Store(int32(2*i + 1))
			select {
			case c.jobs <- job:
			case <-c.returned:
				problem = fmt.Sprintf("Stream returned %v after taking %d jobs, before jobs was closed: it must "+
					"keep taking jobs until jobs is closed", c.err, i)
				return
			}
			step.Store(int32(2*i + 2))
			select {
			case r := <-c.results:
				if r != shaOf(job) {
					problem = fmt.Sprintf("the result of %q is %q, want %q", job, r, shaOf(job))
					return
				}
			case <-c.returned:
				problem = fmt.Sprintf("Stream returned %v after taking %d jobs, before jobs was closed, and "+
					"sent no result for %q: it must keep taking jobs until jobs is closed", c.err, i+1, job)
				return
			}
		}
	})
	switch {
	case !ok:
		s := int(step.Load())
		i := (s - 1) / 2
		if s%2 == 1 {
			t.Errorf("%s: Stream did not take job %d within %v, after sending the results of the %d before "+
				"it%s", what, i, limit, i, stuck(dir))
			return
		}
		t.Errorf("%s: Stream took job %d but sent no result for it within %v, while the worker (which "+
			"answers each line before it reads the next) had written it to its stdout at once: Stream "+
			"reads the worker's stdout only later, after jobs is closed or after Wait. Results must be "+
			"read as they come, while jobs are still being written: write the jobs on a goroutine of "+
			"their own, and read stdout line by line on another (bufio.Scanner)%s", what, i, limit, stuck(dir))
	case problem != "":
		t.Errorf("%s: %s", what, problem)
	}
}

func TestStreamFullPipe(t *testing.T) {
	argv := worker(t, "sha")
	dir := os.Getenv(recordsEnv)
	const n = 20000
	job := func(i int) string { return fmt.Sprintf("job %06d %s", i, strings.Repeat("x", 30)) }
	what := fmt.Sprintf("Stream(%s, %d jobs of 41 bytes sent as fast as it takes them, results received "+
		"as fast as it sends them)", show(argv), n)
	c := startStream(t, argv, dir, 0, 0)
	var taken, sent atomic.Int64
	stop, fed := make(chan struct{}), make(chan struct{})
	defer func() { close(stop); <-fed }() // before the cleanup closes jobs
	go func() {                           // ends when every job is sent, or at the end of the test
		defer close(fed)
		for i := range n {
			select {
			case c.jobs <- job(i):
				taken.Add(1)
			case <-stop:
				return
			}
		}
		c.close()
	}()
	wrong, drained := make(chan string, 1), make(chan struct{})
	go func() { // ends when Stream returns
		defer close(drained)
		for {
			select {
			case r := <-c.results:
				i := int(sent.Add(1)) - 1
				if i < n && r != shaOf(job(i)) {
					select {
					case wrong <- fmt.Sprintf("result %d is %q, want %q", i, r, shaOf(job(i))):
					default:
					}
				}
			case <-c.returned:
				return
			}
		}
	}()
	if !within(t, limit, what, func() { <-c.returned }) {
		t.Errorf("%s was still blocked after %v, with %d jobs taken and %d results sent: a deadlock between "+
			"the two processes. The worker's stdout is a pipe that holds 64 KiB; once it is full the worker "+
			"blocks writing its next result and stops reading its stdin, whose pipe fills up in turn. A "+
			"Stream that writes every job before it reads any result, or reads stdout only after Wait, then "+
			"waits for ever on a full pipe while the worker waits for it to read. Read stdout while the jobs "+
			"are being written, on another goroutine%s", what, limit, taken.Load(), sent.Load(), stuck(dir))
		return
	}
	<-drained // the count of every result received is in sent
	if !started(t, what, dir, fmt.Sprintf("%v after sending %d results", c.err, sent.Load())) {
		return
	}
	select {
	case w := <-wrong:
		t.Errorf("%s: %s: results must be sent in the order the worker writes them", what, w)
	default:
	}
	if got := sent.Load(); got != n || c.err != nil {
		t.Errorf("%s = %v after sending %d results, want nil after %d", what, c.err, got, n)
	}
	checkReaped(t, what, dir)
}

func TestStreamExitStatus(t *testing.T) {
	argv := worker(t, "sha", "3")
	dir := os.Getenv(recordsEnv)
	jobs := []string{"a", "b", "c"}
	what := fmt.Sprintf("Stream(%s, %d jobs) with a worker that exits with status 3 at the end of its stdin",
		show(argv), len(jobs))
	c := startStream(t, argv, dir, len(jobs), len(jobs)+100)
	for _, j := range jobs {
		c.jobs <- j
	}
	c.close()
	if !within(t, limit, what, func() { <-c.returned }) {
		t.Errorf("%s was still running after %v%s", what, limit, stuck(dir))
		return
	}
	got := drain(c.results)
	if !started(t, what, dir, fmt.Sprintf("%v with %d results", c.err, len(got))) {
		return
	}
	checkReaped(t, what, dir)
	if len(got) != len(jobs) {
		t.Errorf("%s sent %d results, want %d: a worker that fails at the end still answered every job, "+
			"and every answer must be sent", what, len(got), len(jobs))
	}
	var exit *exec.ExitError
	if !errors.As(c.err, &exit) || exit.ExitCode() != 3 {
		t.Errorf("%s = %v, want an error that wraps the *exec.ExitError of exit status 3: what cmd.Wait "+
			"returns tells the caller how the worker ended (Python's exitcode)", what, c.err)
	}
}
