package processes

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// proc is a worker process as it recorded itself when it started.
type proc struct {
	pid     int    // its pid, as this process sees it (exec.Cmd.Process.Pid)
	procPid int    // its directory under /proc: another number in a PID namespace of its own
	start   string // its start time ("-" if unknown): a later process with the same pid has another
	kind    string
}

func (p proc) String() string { return fmt.Sprintf("the %s worker (pid %d)", p.kind, p.pid) }

// records returns the workers that recorded themselves in dir, by pid.
func records(dir string) []proc {
	entries, _ := os.ReadDir(dir)
	var procs []proc
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || !strings.HasSuffix(e.Name(), ".start") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		f := strings.Fields(string(b))
		if err != nil || len(f) != 4 {
			continue
		}
		var p proc
		p.pid, _ = strconv.Atoi(f[0])
		p.procPid, _ = strconv.Atoi(f[1])
		p.start, p.kind = f[2], f[3]
		procs = append(procs, p)
	}
	slices.SortFunc(procs, func(a, b proc) int { return a.pid - b.pid })
	return procs
}

// interrupted reports whether p has recorded in dir that it got an interrupt.
func (p proc) interrupted(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, strconv.Itoa(p.pid)+".interrupted"))
	return err == nil
}

// state returns p's state as the system reports it, "R" (running), "S" (sleeping),
// "Z" (a zombie: exited, not yet waited for) and so on, or "" if p no longer exists.
//
// Linux says it in /proc/PID/stat, macOS and the BSDs through ps. Windows has no zombies
// and no states: a process is running, or has exited and is kept, exit code and all,
// while a handle to it is open. Go's cmd.Wait closes the handle of the process it waits
// for: an exited worker still there was not waited for, and is reported as "Z".
func (p proc) state() string {
	switch runtime.GOOS {
	case "linux":
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.procPid))
		f := statFields(string(b))
		if err != nil || len(f) < 20 || (p.start != "-" && f[19] != p.start) {
			return "" // gone, or its pid belongs to a newer process
		}
		if f[0] == "Z" {
			// The main thread is a zombie once it has exited, maybe before the other
			// threads, which still hold the process's files: a zombie is a process whose
			// threads have all exited.
			tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", p.procPid))
			for _, task := range tasks {
				b, _ := os.ReadFile(task)
				if f := statFields(string(b)); len(f) > 0 && f[0] != "Z" && f[0] != "X" {
					return f[0]
				}
			}
		}
		return f[0]
	case "windows":
		opened, code, created := sysProcess(p.pid)
		return windowsState(opened, code, created, p.start)
	}
	out, _ := exec.Command("ps", "-o", "stat=", "-p", strconv.Itoa(p.pid)).Output()
	return psState(string(out))
}

// psState returns the state letter in the output of `ps -o stat= -p PID`: "Ss", "Z+",
// "R+" or macOS's "U" (an uninterruptible wait), one a line, give the letters "S", "Z",
// "R" and "U". No output (ps exits with status 1) means that the process is gone: "".
func psState(out string) string {
	s := strings.TrimSpace(out)
	if s == "" {
		return ""
	}
	return s[:1]
}

// stillActive is the exit code Windows reports for a process that is still running
// (STILL_ACTIVE).
const stillActive = 259

// windowsState turns what Windows says of a process into a state letter: whether it
// could be opened (OpenProcess), its exit code (GetExitCodeProcess) and its creation
// time (GetProcessTimes), against the start the worker recorded: "R" while it runs, "Z"
// once it has exited but is kept by an open handle, "" if it is gone or its pid now
// belongs to another process.
func windowsState(opened bool, exitCode uint32, created, start string) string {
	switch {
	case !opened, start != "-" && created != start:
		return ""
	case exitCode == stillActive:
		return "R"
	}
	return "Z"
}

// stateWords says a state letter in words.
func stateWords(s string) string {
	if runtime.GOOS == "windows" && s == "R" {
		return "running (Windows tells no more)"
	}
	words := map[string]string{"R": "running", "S": "sleeping", "D": "waiting on the disk",
		"U": "in an uninterruptible wait", "Z": "a zombie", "T": "stopped", "t": "stopped",
		"X": "dead", "I": "idle"}
	return cmpOr(words[s], "state "+s)
}

// describe says what state p is in, in words, and, on Linux, whether it is blocked on a
// pipe. It returns "gone" if p no longer exists.
func (p proc) describe() string {
	s := p.state()
	switch {
	case s == "":
		return "gone"
	case s == "Z" && runtime.GOOS == "windows":
		return "exited, and still there because the handle to it is open: nobody waited for it"
	case s == "Z":
		return "state Z, a zombie: it has exited and nobody has waited for it"
	}
	d := fmt.Sprintf("state %s, %s", s, stateWords(s))
	if runtime.GOOS == "windows" {
		d = stateWords(s)
	}
	pipes := p.pipes()
	if len(pipes) > 0 {
		d += " in " + strings.Join(pipes, ", ")
		if slices.ContainsFunc(pipes, func(w string) bool { return strings.HasSuffix(w, "pipe_write") }) {
			d += ": blocked writing to a full pipe"
		}
	}
	return d
}

// pipes returns, on Linux, the kernel functions in which p's threads wait on a pipe:
// "pipe_read" (or "anon_pipe_read") for a read from an empty pipe, "pipe_write" for a
// write to a full one. Elsewhere it returns nothing.
func (p proc) pipes() []string {
	if runtime.GOOS != "linux" {
		return nil
	}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/wchan", p.procPid))
	var pipes []string
	for _, task := range tasks {
		if w, err := os.ReadFile(task); err == nil && strings.Contains(string(w), "pipe") &&
			!slices.Contains(pipes, string(w)) {
			pipes = append(pipes, string(w))
		}
	}
	return pipes
}

// blockedOn returns "read" if p is blocked reading its stdin, an empty pipe, "write" if
// it is blocked writing its stdout, a full pipe, and "" if neither is known: the worker
// is busy, or not on Linux.
func (p proc) blockedOn() string {
	if s := p.state(); s != "S" {
		return ""
	}
	pipes := p.pipes()
	switch {
	case len(pipes) != 1:
		return ""
	case strings.HasSuffix(pipes[0], "pipe_write"):
		return "write"
	case strings.HasSuffix(pipes[0], "pipe_read"):
		return "read"
	}
	return ""
}

// kill kills p if it still exists. A zombie is left as it is: only its parent can reap it.
func (p proc) kill() {
	if s := p.state(); s == "" || s == "Z" {
		return
	}
	if pr, err := os.FindProcess(p.pid); err == nil {
		_ = pr.Kill()
		_ = pr.Release() // on Windows, a handle left open would keep the process as "Z"
	}
}

// statFields returns the fields of a /proc/PID/stat line after the command name (which
// is in parentheses and may hold spaces): state is [0], the start time [19].
func statFields(stat string) []string {
	i := strings.LastIndex(stat, ") ")
	if i < 0 {
		return nil
	}
	return strings.Fields(stat[i+2:])
}

// running describes the workers of dir that still exist, one a line, or says there are
// none.
func running(dir string) string {
	var lines []string
	for _, p := range records(dir) {
		if d := p.describe(); d != "gone" {
			lines = append(lines, fmt.Sprintf("  %v: %s", p, d))
		}
	}
	if len(lines) == 0 {
		return "  (no worker process left)"
	}
	return strings.Join(lines, "\n")
}

// exited reports whether p has exited: it is gone, or a zombie.
func (p proc) exited() bool {
	s := p.state()
	return s == "" || s == "Z"
}

// checkReaped fails t for each worker recorded in dir that still exists after call
// returned: a zombie nobody waited for, or a process still running on its own. Correct
// code has waited for every worker before it returns, so each is gone by then.
func checkReaped(t *testing.T, call, dir string) {
	t.Helper()
	windows := runtime.GOOS == "windows"
	type left struct {
		proc
		first string // its state when first looked at
	}
	var lefts []left
	for _, p := range records(dir) {
		if s := p.state(); s != "" {
			lefts = append(lefts, left{p, s})
		}
	}
	// A worker just killed takes a moment to become a zombie: let the states settle, to
	// say which it is. On Windows, a process waited for may also linger a moment after
	// its parent closed the handle (held by the system, or by Wine): wait for it to go.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && slices.ContainsFunc(lefts, func(l left) bool {
		s := l.state()
		return s != "" && (s != "Z" || windows)
	}) {
		time.Sleep(10 * time.Millisecond)
	}
	failed := false
	for _, l := range lefts {
		p := l.proc
		switch s := p.state(); {
		case s == "" && l.first == "Z" && windows:
			// exited, then let go: it may well have been waited for
		case s == "Z" && windows:
			t.Errorf("%s returned, but %v has exited and nobody waited for it: Windows keeps a process "+
				"that has ended, exit code and all, while its parent holds a handle to it, and cmd.Wait "+
				"(Python's join()) is what reads the exit code and closes the handle. Wait for every worker "+
				"you start, on every path, errors and cancellation included, before you return", call, p)
			failed = true
		case s == "Z":
			t.Errorf("%s returned, but %v is a zombie (state Z): it exited and nobody waited for it. "+
				"A child process that has ended stays in the process table, exit status and all, until "+
				"its parent waits for it: call cmd.Wait (Python's join()) for every worker you start, on "+
				"every path, errors and cancellation included, before you return", call, p)
			failed = true
		case s == "" && l.first == "Z":
			t.Errorf("%s returned while %v was a zombie, reaped only just after: the call returned before "+
				"cmd.Wait did, on another goroutine that outlived it. Receive what Wait returns before you "+
				"return, on every path", call, p)
			failed = true
		case s == "":
			t.Errorf("%s returned while %v was still running (it ended just after): a call that starts "+
				"a worker must wait for it to exit (cmd.Wait) before it returns, or the worker outlives it",
				call, p)
			failed = true
		default:
			t.Errorf("%s returned while %v was still running (%s): nothing stopped it or waited for it, "+
				"so it outlives the call, and when this program ends it is an orphan that nobody will ever "+
				"wait for. Stop the worker (kill it when ctx is done) and wait for it (cmd.Wait) before you "+
				"return", call, p, p.describe())
			p.kill()
			failed = true
		}
	}
	if windows && !failed {
		notChecked(t, "that every worker was waited for",
			"Windows keeps no zombie: a process that has exited and was never waited for can be gone as "+
				"soon as Go's garbage collector closes its handle; checked instead: no worker still running, "+
				"and none still kept by a handle a moment later")
	}
}

// started reports whether a worker recorded itself in dir; if none did, it fails t:
// call returned got without ever starting its worker.
func started(t *testing.T, call, dir, got string) bool {
	t.Helper()
	if len(records(dir)) > 0 {
		return true
	}
	t.Errorf("%s returned %s, and no worker process ever started: start argv with "+
		"exec.Command(argv[0], argv[1:]...) (or exec.CommandContext), connect its stdin and stdout, "+
		"and wait for it to exit", call, got)
	return false
}

// awaitRecord waits until a worker has recorded itself in dir and returns it. It gives
// up, reporting false, when returned is closed (the call under test returned) or after
// limit.
func awaitRecord(dir string, returned <-chan struct{}) (proc, bool) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if procs := records(dir); len(procs) > 0 {
			return procs[0], true
		}
		select {
		case <-returned:
			if procs := records(dir); len(procs) > 0 {
				return procs[0], true
			}
			return proc{}, false
		case <-time.After(time.Millisecond):
		}
	}
	return proc{}, false
}

// within runs f on a goroutine of its own and waits up to d of real time for it to
// return. It reports whether f returned; if f panics, it fails t with the panic. f must
// not call t.Fatal or require.
func within(t *testing.T, d time.Duration, what string, f func()) bool {
	t.Helper()
	ok, _ := withinUnless(t, d, what, f, nil)
	return ok
}

// settle is how long the tests watch a state in which nothing can move any more before
// they call it stuck (see withinUnless).
const settle = time.Second

// withinUnless is within, but it also gives up early when probe, called every 10 ms while
// f runs, has said for settle without a break why nothing will ever move: every goroutine
// of the code under test waits for something that will not come. It then returns false
// and that reason. probe returns "" when something may still move.
func withinUnless(t *testing.T, d time.Duration, what string, f func(), probe func() string) (bool, string) {
	t.Helper()
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		f()
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var since time.Time
	for {
		select {
		case p := <-done:
			if p != nil {
				t.Errorf("%s: panic: %v", what, p)
			}
			return p == nil, ""
		case <-timer.C:
			return false, ""
		case <-tick.C:
		}
		if probe == nil {
			continue
		}
		switch why := probe(); {
		case why == "":
			since = time.Time{}
		case since.IsZero():
			since = time.Now()
		case time.Since(since) >= settle:
			return false, why
		}
	}
}

// stuck is the end of a message about a call still blocked: the workers still
// there and the goroutines of the code under test.
func stuck(dir string) string {
	return fmt.Sprintf("\n\nThe worker processes:\n%s\n\nThe goroutines still running:\n\n%s",
		running(dir), guard.Stacks(nil))
}

// goroutine is one goroutine of a stack dump.
type goroutine struct {
	status string // what it waits for: "chan receive", "IO wait", "syscall", "running"...
	stack  string // the whole dump, header included
}

// goroutines returns every goroutine but the caller's.
func goroutines() []goroutine { return goroutinesIn(make([]byte, 1<<20)) }

// goroutinesIn is goroutines, with a buffer for the dump allocated beforehand.
func goroutinesIn(buf []byte) []goroutine {
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var gs []goroutine
	for i, s := range strings.Split(string(buf), "\n\n") {
		if i > 0 {
			gs = append(gs, parseGoroutine(s))
		}
	}
	return gs
}

// parseGoroutine reads one goroutine of a stack dump, "goroutine 7 [chan receive, 2
// minutes]:" and its frames.
func parseGoroutine(s string) goroutine {
	header, _, _ := strings.Cut(s, "\n")
	_, status, _ := strings.Cut(header, "[")
	status, _, _ = strings.Cut(status, "]")
	status, _, _ = strings.Cut(status, ",")
	return goroutine{status: status, stack: s}
}

// learnerFile matches a frame's file line in a file of this package that is not a test:
// the code under test.
var learnerFile = regexp.MustCompile(`(?m)^\t.*12_processes[/\\][^/\\]+\.go:\d+`)

// learner reports whether g runs code under test: a frame of its stack is in one of the
// package's files that are not tests.
func (g goroutine) learner() bool {
	for _, m := range learnerFile.FindAllString(g.stack, -1) {
		if file, _, _ := strings.Cut(m, ":"); !strings.HasSuffix(file, "_test.go") {
			return true
		}
	}
	return false
}

// inWait reports whether g is waiting for a process to exit (cmd.Wait, Process.Wait).
func (g goroutine) inWait() bool { return strings.Contains(g.stack, "os.(*Process).Wait(") }

// parked reports whether g waits on a channel, a select or a lock of sync: something
// only another goroutine can end.
func (g goroutine) parked() bool {
	switch g.status {
	case "chan receive", "chan send", "select", "chan receive (nil chan)", "chan send (nil chan)",
		"select (no cases)", "sync.WaitGroup.Wait", "sync.Cond.Wait", "sync.Mutex.Lock",
		"sync.RWMutex.Lock", "sync.RWMutex.RLock":
		return true
	}
	return false
}

// inFile reports whether g is reading ("Read") or writing ("Write") a file or a pipe.
func (g goroutine) inFile(op string) bool {
	return strings.Contains(g.stack, "os.(*File)."+op+"(") || strings.Contains(g.stack, "internal/poll.(*FD)."+op+"(")
}

// ofExec reports whether g is one of os/exec's own goroutines, which copy a Stdin or a
// Stdout that is not a file (inFile says which) or watch a Cmd's context (watchCtx).
func (g goroutine) ofExec() bool { return strings.Contains(g.stack, "os/exec.(*Cmd).") && !g.learner() }

// watchCtx reports whether g is exec's goroutine that ends a command when its context is
// done and has yet to act: it will still call Cancel, or kill the process once WaitDelay
// has passed. Once it has acted, it only waits to hand its result to cmd.Wait.
func (g goroutine) watchCtx() bool {
	return strings.Contains(g.stack, "os/exec.(*Cmd).watchCtx") && g.status != "chan send"
}
