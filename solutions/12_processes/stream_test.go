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
	"time"

	"github.com/google/go-cmp/cmp"
)

// streamCall is a call of Stream running on a goroutine of its own.
type streamCall struct {
	jobs     chan string
	results  chan string
	returned chan struct{} // closed when Stream has returned
	err      error         // what it returned: read it only after returned is closed
	waiters  []goroutine   // the goroutines still in cmd.Wait the moment it returned
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
		buf := make([]byte, 1<<20)
		c.err = Stream(argv, c.jobs, c.results)
		c.waiters = waitersIn(buf)
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

// streamProbe returns a probe for withinUnless: it says why the worker of dir and the
// code under test wait for each other for good (streamStuck), as long as progress, a
// count of what the test has seen move, stays the same.
func streamProbe(dir string, progress func() int64) func() string {
	last := progress()
	return func() string {
		if now := progress(); now != last {
			last = now
			return ""
		}
		procs := records(dir)
		if len(procs) == 0 {
			return ""
		}
		return streamStuck(procs[0])
	}
}

// streamStuck says why the worker p and the code under test wait for each other for
// good, or "" while something may still move: the worker is blocked on one of its pipes,
// and every goroutine of the code under test (and of os/exec) waits, on a channel or a
// lock, for the worker to exit, or on the other pipe, which the worker does not serve.
// It can tell only on Linux, where it sees what the worker is blocked on.
func streamStuck(p proc) string {
	on := p.blockedOn()
	if on == "" {
		return ""
	}
	for _, g := range goroutines() {
		switch {
		case !g.learner() && !g.ofExec():
			continue
		case g.status == "running", g.status == "runnable":
			return ""
		case on == "write" && g.inFile("Read"), on == "read" && g.inFile("Write"):
			return "" // it serves the pipe the worker waits on
		case g.parked(), g.inWait(), g.inFile("Read"), g.inFile("Write"):
			continue
		}
		return ""
	}
	if on == "write" {
		return fmt.Sprintf("%v is blocked writing its stdout, a full pipe, and no goroutine reads that "+
			"pipe: every goroutine of Stream waits on a channel, on cmd.Wait or on the worker's stdin, "+
			"which it no longer reads", p)
	}
	return fmt.Sprintf("%v has answered every line it was given and waits for the next one on its stdin, "+
		"and no goroutine writes to it or sends a result: every goroutine of Stream waits on a channel, on "+
		"cmd.Wait or on the worker's stdout, which has nothing more to give", p)
}

// quiet reports whether every goroutine of the code under test (and of os/exec) waits on
// a channel or a lock: for the test, since the worker has exited.
func quiet() bool {
	for _, g := range goroutines() {
		if (g.learner() || g.ofExec()) && !g.parked() {
			return false
		}
	}
	return true
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
	probe := streamProbe(dir, func() int64 { return int64(len(c.results)) })
	if ok, why := withinUnless(t, limit, what, func() { <-c.returned }, probe); !ok {
		t.Errorf("%s with every job already sent and jobs closed was still running after %v, with %d "+
			"results sent: it must close the worker's stdin when jobs is closed, read the rest of the "+
			"worker's stdout, and wait for the worker to exit%s%s", what, after(why), len(c.results),
			because(why), stuck(dir))
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
	probe := streamProbe(dir, func() int64 { return int64(step.Load()) })
	ok, why := withinUnless(t, limit, what, func() {
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
	}, probe)
	switch {
	case !ok:
		s := int(step.Load())
		i := (s - 1) / 2
		if s%2 == 1 {
			t.Errorf("%s: Stream did not take job %d within %v, after sending the results of the %d before "+
				"it%s%s", what, i, after(why), i, because(why), stuck(dir))
			return
		}
		t.Errorf("%s: Stream took job %d but sent no result for it within %v, while the worker (which "+
			"answers each line before it reads the next) had written it to its stdout right away: Stream "+
			"reads the worker's stdout only later, after jobs is closed or after Wait. Results must be "+
			"read as they come, while jobs are still being written: write the jobs on a goroutine of "+
			"their own, and read stdout line by line on another (bufio.Scanner)%s%s", what, i, after(why),
			because(why), stuck(dir))
	case problem != "":
		t.Errorf("%s: %s", what, problem)
	}
}

func TestStreamFullPipe(t *testing.T) {
	argv := worker(t, "sha")
	dir := os.Getenv(recordsEnv)
	const n = 5000 // 200 KB of jobs, 325 KB of results: a Linux pipe holds 64 KiB
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
	probe := streamProbe(dir, func() int64 { return taken.Load() + sent.Load() })
	if ok, why := withinUnless(t, limit, what, func() { <-c.returned }, probe); !ok {
		t.Errorf("%s was still blocked after %v, with %d jobs taken and %d results sent: a deadlock between "+
			"the two processes. The worker's stdout is a pipe that holds 64 KiB; once it is full the worker "+
			"blocks writing its next result and stops reading its stdin, whose pipe fills up in turn. A "+
			"Stream that writes every job before it reads any result, or reads stdout only after Wait, then "+
			"waits for ever on a full pipe while the worker waits for it to read. Read stdout while the jobs "+
			"are being written, on another goroutine%s%s", what, after(why), taken.Load(), sent.Load(),
			because(why), stuck(dir))
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
	probe := streamProbe(dir, func() int64 { return int64(len(c.results)) })
	if ok, why := withinUnless(t, limit, what, func() { <-c.returned }, probe); !ok {
		t.Errorf("%s with every job already sent and jobs closed was still running after %v%s%s", what,
			after(why), because(why), stuck(dir))
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

// after says how long a call had run when the test gave up on it: limit, or settle if
// it was found stuck for a reason.
func after(why string) string {
	if why != "" {
		return settle.String()
	}
	return limit.String()
}

// because is the reason a call was found stuck, as the end of a sentence, or nothing.
func because(why string) string {
	if why == "" {
		return ""
	}
	return ".\n\nIt will never move again: " + why
}

func TestStreamWorkerExits(t *testing.T) {
	argv := worker(t, "sha", "3", "2")
	dir := os.Getenv(recordsEnv)
	const answered, more = 2, 3
	what := fmt.Sprintf("Stream(%s, jobs, results) with a worker that answers %d jobs, then exits with status 3 "+
		"without reading any more", show(argv), answered)
	c := startStream(t, argv, dir, 0, 0)
	returnedEarly := func(jobs int) {
		t.Errorf("%s returned %v after taking %d jobs, before jobs was closed: it must take every job until "+
			"jobs is closed, and drop those the worker can no longer read, or the caller's next send blocks "+
			"for ever; and a Stream that returns while its writer goroutine still takes jobs leaves that "+
			"goroutine running after the call. Keep the writer taking jobs after a failed write, and wait "+
			"for it (a channel it closes, a WaitGroup) before you return", what, c.err, jobs)
	}
	for i := range answered {
		job := fmt.Sprintf("job %d", i)
		var r string
		var early bool
		ok, why := withinUnless(t, limit, what, func() {
			select {
			case c.jobs <- job:
			case <-c.returned:
				early = true
				return
			}
			select {
			case r = <-c.results:
			case <-c.returned:
				early = true
			}
		}, streamProbe(dir, func() int64 { return 0 }))
		switch {
		case !ok:
			t.Errorf("%s: no result for %q after %v%s%s", what, job, after(why), because(why), stuck(dir))
			return
		case early && !started(t, what, dir, fmt.Sprint(c.err)):
			return
		case early:
			returnedEarly(i)
			return
		case r != shaOf(job):
			t.Errorf("%s: the result of %q is %q, want %q", what, job, r, shaOf(job))
			return
		}
	}
	p := records(dir)[0]
	if !within(t, limit, what, func() {
		for !p.exited() {
			time.Sleep(time.Millisecond)
		}
	}) {
		t.Errorf("%s: %v was still running %v after it answered %d jobs, when it exits by itself%s",
			what, p, limit, answered, stuck(dir))
		return
	}
	// The worker is gone: each job now is received by Stream and dropped.
	for i := answered; i < answered+more; i++ {
		job := fmt.Sprintf("job %d", i)
		var early bool
		ok, why := withinUnless(t, limit, what, func() {
			select {
			case c.jobs <- job:
			case <-c.returned:
				early = true
			}
		}, func() string {
			if quiet() {
				return "every goroutine of Stream waits on a channel or a lock, and none takes a job"
			}
			return ""
		})
		switch {
		case !ok:
			t.Errorf("%s: Stream did not take %q within %v, after the worker had exited: once the worker "+
				"stops reading its stdin, Stream must still take every job and drop it, or the caller's sends "+
				"block for ever. A writer that stops at the first failed write stops taking jobs too: keep it "+
				"taking them until jobs is closed%s%s", what, job, after(why), because(why), stuck(dir))
			return
		case early:
			returnedEarly(i)
			return
		}
	}
	// Stream must now wait for jobs to be closed: it returns, or it settles.
	settled := 0
	for deadline := time.Now().Add(limit); settled < 3; time.Sleep(10 * time.Millisecond) {
		switch {
		case isClosed(c.returned):
			returnedEarly(answered + more)
			return
		case time.Now().After(deadline):
			t.Errorf("%s: Stream was still busy %v after it took the last job, with jobs open and the "+
				"worker gone%s", what, limit, stuck(dir))
			return
		case quiet():
			settled++
		default:
			settled = 0
		}
	}
	c.close()
	if ok, why := withinUnless(t, limit, what, func() { <-c.returned }, func() string {
		if quiet() {
			return "every goroutine of Stream waits on a channel or a lock"
		}
		return ""
	}); !ok {
		t.Errorf("%s: Stream did not return within %v of jobs being closed, with the worker gone%s%s", what,
			after(why), because(why), stuck(dir))
		return
	}
	checkWaited(t, what, c.waiters, nil, "")
	checkReaped(t, what, dir)
	if got := drain(c.results); len(got) > 0 {
		t.Errorf("%s sent %d results more than the %d the worker wrote: %q", what, len(got), answered, got)
	}
	var exit *exec.ExitError
	if !errors.As(c.err, &exit) || exit.ExitCode() != 3 {
		t.Errorf("%s = %v, want an error that wraps the *exec.ExitError of exit status 3: the jobs that could "+
			"not be written are not the news, how the worker ended is (what cmd.Wait returns)", what, c.err)
	}
}
