package processes

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// The environment of a worker: the tests set it, and the workers inherit it.
const (
	// workerEnv set means that this process is a worker, not a test run: Python's
	// `if __name__ == '__main__':` turned around. The child is this very test binary,
	// started again; TestMain sees the variable and runs the worker instead of the tests.
	workerEnv = "PROCESSES_WORKER"
	// recordsEnv names a directory where each worker records itself when it starts, so
	// that the tests can find every worker process, whoever started it.
	recordsEnv = "PROCESSES_RECORDS"
)

// TestMain runs the worker when this binary was started as one, and the tests (with
// guard.Main's check for goroutines left behind) otherwise.
func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) != "" {
		os.Exit(work(workerArgs()))
	}
	guard.Main(m)
}

// limit is the real time a call under test may take. Correct code needs milliseconds,
// even under -race on a busy machine; a worker nobody stops, or pipes that fill up and
// block both processes, fail the test when it is up.
const limit = 10 * time.Second

// patience is how long a hash worker started with a peer count waits, after reading its
// part, for the other workers to have read theirs, before it gives up (see hashPart).
const patience = 10 * time.Second

// hashLimit is the real time a HashProcs call may take: more than a worker's patience.
const hashLimit = 3 * patience

// maxLife ends any worker that is still running after it, whatever it was doing.
const maxLife = 2 * time.Minute

// worker returns the command line that re-executes this test binary as a worker of the
// given kind (see work), and makes every process this test starts inherit the
// environment that says so, with a fresh directory for the workers' records. At the end
// of the test it kills every worker still running.
func worker(t *testing.T, kind string, args ...string) []string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the tests look for leftover and zombie processes in /proc (Linux) or with ps (macOS, BSD): not on Windows")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("os.Executable() = %v: cannot re-execute the test binary as a worker", err)
	}
	dir := t.TempDir()
	t.Setenv(workerEnv, "1")
	t.Setenv(recordsEnv, dir)
	// A binary built with -race sleeps a second when it exits with status 0, in case
	// another thread has a race to report: the workers need not.
	t.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	t.Cleanup(func() {
		for _, p := range records(dir) {
			if s := p.state(); s != "" && s != "Z" {
				p.kill()
			}
		}
	})
	// -test.run=^$ makes the binary run no test should it ever start without workerEnv.
	return append([]string{exe, "-test.run=^$", kind}, args...)
}

// show is argv as the failure messages print it, without the test binary's long path
// and its -test flags.
func show(argv []string) string {
	if len(argv) == 0 {
		return "[]"
	}
	words := []string{filepath.Base(argv[0])}
	for _, a := range argv[1:] {
		if !strings.HasPrefix(a, "-test.") {
			words = append(words, a)
		}
	}
	return "[" + strings.Join(words, " ") + "]"
}

// workerArgs returns the worker's kind and arguments: os.Args without the program and
// the -test flags in front.
func workerArgs() []string {
	args := os.Args[1:]
	for len(args) > 0 && strings.HasPrefix(args[0], "-test.") {
		args = args[1:]
	}
	return args
}

// work is the worker: what a child process does, by kind. It returns the exit status.
//
//	exit          exits at once (the benchmarks' process start and exit)
//	sha [status]  for each line of stdin, writes the hex SHA-256 of the line and a newline
//	              to stdout, unbuffered, before it reads the next; exits with status (0)
//	              at the end of stdin
//	hang          never exits by itself; an interrupt ends it (Go's default)
//	stubborn      like hang, but ignores interrupts: only a kill ends it
//	tidy          waits for an interrupt, then writes "cleaned up" and exits with status 0
//	hash [peers]  reads stdin to its end and writes its 32-byte SHA-256 digest to stdout,
//	              or exits with status 3 if the input starts with "fail"; with peers, waits
//	              first until that many hash workers have read their input (see hashPart)
//
// Every worker but exit records itself first (record), and exits if it is orphaned or
// has run for maxLife.
func work(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "worker: no kind given")
		return 2
	}
	kind, args := args[0], args[1:]
	if kind == "exit" {
		return 0
	}
	go endWhenOrphaned()
	switch kind {
	case "sha":
		record(kind)
		return shaLines(args)
	case "hang":
		record(kind)
		time.Sleep(maxLife)
		return 1
	case "stubborn":
		signal.Ignore(os.Interrupt, syscall.SIGTERM)
		record(kind)
		time.Sleep(maxLife)
		return 1
	case "tidy":
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		record(kind)
		<-sig
		fmt.Println("cleaned up")
		return 0
	case "hash":
		record(kind)
		return hashPart(args)
	}
	fmt.Fprintf(os.Stderr, "worker: unknown kind %q\n", kind)
	return 2
}

// endWhenOrphaned ends the worker when its parent is gone (the test binary ended and
// left it running) or when it has run for maxLife, so that no test leaves a worker
// behind for long, whatever the code under test did.
func endWhenOrphaned() {
	parent := os.Getppid()
	deadline := time.Now().Add(maxLife)
	for range time.Tick(100 * time.Millisecond) {
		if os.Getppid() != parent || time.Now().After(deadline) {
			os.Exit(3)
		}
	}
}

func shaLines(args []string) int {
	status := 0
	if len(args) > 0 {
		status, _ = strconv.Atoi(args[0])
	}
	in := bufio.NewReader(os.Stdin)
	for {
		line, err := in.ReadString('\n')
		if line != "" {
			sum := sha256.Sum256([]byte(strings.TrimSuffix(line, "\n")))
			if _, werr := fmt.Fprintf(os.Stdout, "%x\n", sum); werr != nil {
				return 1
			}
		}
		if err != nil {
			return status
		}
	}
}

// hashPart is the hash worker. With peers (argv "hash 2"), it proves that the workers
// run at once: after reading its part it records that it is ready, and waits until
// peers workers are ready before it answers. Workers run one after another never get
// there; after patience the first gives up, records why, and exits with status 4.
func hashPart(args []string) int {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	start, _ := in.Peek(4)
	fail := string(start) == "fail"
	h := sha256.New()
	if _, err := in.WriteTo(h); err != nil {
		return 1
	}
	if len(args) > 0 {
		peers, _ := strconv.Atoi(args[0])
		dir := os.Getenv(recordsEnv)
		if dir != "" && peers > 1 {
			writeRecord(dir, ".ready", "")
			deadline := time.Now().Add(patience)
			for count(dir, ".ready") < peers {
				if time.Now().After(deadline) {
					writeRecord(dir, ".alone", strconv.Itoa(count(dir, ".ready")))
					return 4
				}
				time.Sleep(time.Millisecond)
			}
		}
	}
	if fail {
		return 3
	}
	if _, err := os.Stdout.Write(h.Sum(nil)); err != nil {
		return 1
	}
	return 0
}

// count returns how many files in dir end in suffix.
func count(dir, suffix string) int {
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), suffix) && !strings.HasPrefix(e.Name(), ".") {
			n++
		}
	}
	return n
}

// record writes the worker's record, PID.start in the records directory: its pid, its
// pid as /proc knows it, its start time and its kind.
func record(kind string) {
	dir := os.Getenv(recordsEnv)
	if dir == "" {
		return
	}
	procPid, start := strconv.Itoa(os.Getpid()), ""
	if b, err := os.ReadFile("/proc/self/stat"); err == nil {
		if f := statFields(string(b)); len(f) > 19 {
			procPid, start = strings.Fields(string(b))[0], f[19]
		}
	}
	writeRecord(dir, ".start", fmt.Sprintf("%d %s %s %s", os.Getpid(), procPid, start, kind))
}

// writeRecord writes dir/PID+suffix at once: a reader sees all of it or nothing.
func writeRecord(dir, suffix, content string) {
	name := strconv.Itoa(os.Getpid()) + suffix
	tmp := filepath.Join(dir, "."+name)
	if os.WriteFile(tmp, []byte(content), 0o600) == nil {
		_ = os.Rename(tmp, filepath.Join(dir, name))
	}
}

// proc is a worker process as it recorded itself when it started.
type proc struct {
	pid     int    // its pid, as this process sees it (exec.Cmd.Process.Pid)
	procPid int    // its directory under /proc: another number in a PID namespace of its own
	start   string // field 22 of /proc/PID/stat, its start time: a later process with the same pid has another
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
		if err != nil || len(f) < 3 {
			continue
		}
		var p proc
		p.pid, _ = strconv.Atoi(f[0])
		p.procPid, _ = strconv.Atoi(f[1])
		if len(f) == 4 {
			p.start, p.kind = f[2], f[3]
		} else {
			p.kind = f[2]
		}
		procs = append(procs, p)
	}
	slices.SortFunc(procs, func(a, b proc) int { return a.pid - b.pid })
	return procs
}

// state returns p's state as the system reports it, "R" (running), "S" (sleeping),
// "Z" (a zombie: exited, not yet waited for) and so on, or "" if p no longer exists.
func (p proc) state() string {
	if runtime.GOOS != "linux" {
		out, err := exec.Command("ps", "-o", "stat=", "-p", strconv.Itoa(p.pid)).Output()
		if s := strings.TrimSpace(string(out)); err == nil && s != "" {
			return s[:1]
		}
		return ""
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.procPid))
	f := statFields(string(b))
	if err != nil || len(f) < 20 || (p.start != "" && f[19] != p.start) {
		return "" // gone, or its pid belongs to a newer process
	}
	return f[0]
}

// describe says what state p is in, in words, and, on Linux, whether it is blocked on a
// pipe. It returns "gone" if p no longer exists.
func (p proc) describe() string {
	s := p.state()
	words := map[string]string{"R": "running", "S": "sleeping", "D": "waiting on the disk",
		"Z": "a zombie", "T": "stopped", "t": "stopped", "X": "dead", "I": "idle"}
	switch {
	case s == "":
		return "gone"
	case s == "Z":
		return "state Z, a zombie: it has exited and nobody has waited for it"
	}
	d := fmt.Sprintf("state %s, %s", s, words[s])
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/wchan", p.procPid))
	var pipes []string
	for _, task := range tasks {
		if w, err := os.ReadFile(task); err == nil && strings.Contains(string(w), "pipe") &&
			!slices.Contains(pipes, string(w)) {
			pipes = append(pipes, string(w))
		}
	}
	if len(pipes) > 0 {
		d += " in " + strings.Join(pipes, ", ")
		if slices.ContainsFunc(pipes, func(w string) bool { return strings.Contains(w, "write") }) {
			d += ": blocked writing to a full pipe"
		}
	}
	return d
}

// kill kills p if it still exists. A zombie is left as it is: only its parent can reap it.
func (p proc) kill() {
	if s := p.state(); s == "" || s == "Z" {
		return
	}
	if pr, err := os.FindProcess(p.pid); err == nil {
		_ = pr.Kill()
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

// checkReaped fails t for each worker recorded in dir that still exists after call
// returned: a zombie nobody waited for, or a process still running on its own. Correct
// code has waited for every worker before it returns, so each is gone at once.
func checkReaped(t *testing.T, call, dir string) {
	t.Helper()
	procs := records(dir)
	var left []proc
	for _, p := range procs {
		if p.state() != "" {
			left = append(left, p)
		}
	}
	if len(left) == 0 {
		return
	}
	// A worker just killed takes a moment to become a zombie: let the states settle, to
	// say which it is.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && slices.ContainsFunc(left, func(p proc) bool {
		s := p.state()
		return s != "" && s != "Z"
	}) {
		time.Sleep(10 * time.Millisecond)
	}
	for _, p := range left {
		switch s := p.state(); s {
		case "Z":
			t.Errorf("%s returned, but %v is a zombie (state Z): it exited and nobody waited for it. "+
				"A child process that has ended stays in the process table, exit status and all, until "+
				"its parent waits for it: call cmd.Wait (Python's join()) for every worker you start, on "+
				"every path, errors and cancellation included, before you return", call, p)
		case "":
			t.Errorf("%s returned while %v was still running (it ended just after): a call that starts "+
				"a worker must wait for it to exit (cmd.Wait) before it returns, or the worker outlives it",
				call, p)
		default:
			t.Errorf("%s returned while %v was still running (%s): nothing stopped it or waited for it, "+
				"so it outlives the call, and when this program ends it is an orphan that nobody will ever "+
				"wait for. Stop the worker (kill it when ctx is done) and wait for it (cmd.Wait) before you "+
				"return", call, p, p.describe())
			p.kill()
		}
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
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		f()
	}()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case p := <-done:
		if p != nil {
			t.Errorf("%s: panic: %v", what, p)
		}
		return p == nil
	case <-timer.C:
		return false
	}
}

// stuck is the end of a message about a call still blocked after limit: the workers
// still there and the goroutines of the code under test.
func stuck(dir string) string {
	return fmt.Sprintf("\n\nThe worker processes:\n%s\n\nThe goroutines still running:\n\n%s",
		running(dir), guard.Stacks(nil))
}

// shaOf is the sha worker's answer to one job.
func shaOf(job string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(job))) }
