package processes

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
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
// block both processes, fail the test when it is up, or sooner when the tests can see
// that nothing will move any more (see settled).
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
	if err := harness(); err != nil {
		t.Fatalf("the test's own helpers are broken, not your code: %v", err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("os.Executable() = %v: cannot re-execute the test binary as a worker", err)
	}
	// Not t.TempDir, which fails the test if the directory cannot be removed: under Wine,
	// Go cannot remove files, and nothing here depends on their removal.
	dir, err := os.MkdirTemp("", "processes-"+kind+"-")
	if err != nil {
		t.Fatalf("os.MkdirTemp: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
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

// notChecked logs, for a test that goes on, one assertion this system cannot make and
// why. The line reads "not checked on GOOS: what (why)": the workbook counts it.
func notChecked(t *testing.T, what, why string) {
	t.Helper()
	t.Logf("not checked on %s: %s (%s)", runtime.GOOS, what, why)
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

// The worker kinds hang, stubborn and tidy write this line to stdout when they start.
const hangLine = "hanging\n"

// work is the worker: what a child process does, by kind. It returns the exit status.
//
//	exit          exits right away (the benchmarks' process start and exit)
//	sha [status [lines]]
//	              for each line of stdin, writes the hex SHA-256 of the line and a newline
//	              to stdout, unbuffered, before it reads the next; exits with status (0)
//	              at the end of stdin, or as soon as it has answered lines lines, without
//	              reading any more
//	hang          writes hangLine and never exits by itself; an interrupt ends it, with
//	              status 130
//	stubborn      like hang, but ignores interrupts: only a kill ends it
//	tidy          writes hangLine, waits for an interrupt, then writes "cleaned up" and
//	              exits with status 0
//	hash [peers]  reads stdin to its end and writes its 32-byte SHA-256 digest to stdout,
//	              or exits with status 3 if the input starts with "fail"; with peers, waits
//	              first until that many hash workers have read their input (see hashPart)
//
// Every worker but exit records itself once it is ready (record), records each interrupt
// it gets (PID.interrupted), and exits if it is orphaned or has run for maxLife. Each
// catches interrupts itself (signal.Notify) rather than leave them to Go's default: a
// process started with interrupts ignored, as go tool test2json starts a test binary,
// passes that on to its children, and a default would then never end them.
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
	var sig chan os.Signal
	if kind == "hang" || kind == "stubborn" || kind == "tidy" {
		fmt.Print(hangLine)
		// Once the parent has read the line, a kill cannot lose it with the pipe.
		awaitDrained(os.Stdout, time.Second)
		sig = make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	}
	record(kind)
	interrupted := func() {
		<-sig
		writeRecord(os.Getenv(recordsEnv), ".interrupted", "")
	}
	switch kind {
	case "sha":
		return shaLines(args)
	case "hang":
		interrupted()
		return 130
	case "stubborn":
		for {
			interrupted()
		}
	case "tidy":
		interrupted()
		fmt.Println("cleaned up")
		return 0
	case "hash":
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
		if orphaned(parent) || time.Now().After(deadline) {
			os.Exit(3)
		}
	}
}

// orphaned reports whether the process parent, which started this one, is gone. On Unix
// an orphan gets another parent; on Windows the parent's pid stays, so ask Windows.
func orphaned(parent int) bool {
	if runtime.GOOS == "windows" {
		opened, code, _ := sysProcess(parent)
		return !opened || code != stillActive
	}
	return os.Getppid() != parent
}

func shaLines(args []string) int {
	status, lines := 0, -1
	if len(args) > 0 {
		status, _ = strconv.Atoi(args[0])
	}
	if len(args) > 1 {
		lines, _ = strconv.Atoi(args[1])
	}
	in := bufio.NewReader(os.Stdin)
	for answered := 0; answered != lines; {
		line, err := in.ReadString('\n')
		if line != "" {
			sum := sha256.Sum256([]byte(strings.TrimSuffix(line, "\n")))
			if _, werr := fmt.Fprintf(os.Stdout, "%x\n", sum); werr != nil {
				return 1
			}
			answered++
		}
		if err != nil {
			break
		}
	}
	return status
}

// hashPart is the hash worker. With peers (argv "hash 2"), it proves that the workers
// run at the same time: after reading its part it records that it is ready, and waits
// until peers workers are ready before it answers. Workers run one after another never
// get there; after patience the first gives up, records why, and exits with status 4.
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
	procPid, start := strconv.Itoa(os.Getpid()), sysSelfStart()
	if runtime.GOOS == "linux" { // Wine, say, shows Linux's /proc to Windows programs
		if b, err := os.ReadFile("/proc/self/stat"); err == nil {
			if f := statFields(string(b)); len(f) > 19 {
				procPid, start = strings.Fields(string(b))[0], f[19]
			}
		}
	}
	writeRecord(dir, ".start", fmt.Sprintf("%d %s %s %s", os.Getpid(), procPid, cmpOr(start, "-"), kind))
}

func cmpOr(s, or string) string {
	if s == "" {
		return or
	}
	return s
}

// writeRecord writes dir/PID+suffix in one step: a reader sees all of it or nothing.
func writeRecord(dir, suffix, content string) {
	if dir == "" {
		return
	}
	name := strconv.Itoa(os.Getpid()) + suffix
	tmp := filepath.Join(dir, "."+name)
	if os.WriteFile(tmp, []byte(content), 0o600) == nil {
		_ = os.Rename(tmp, filepath.Join(dir, name))
	}
}

// shaOf is the sha worker's answer to one job.
func shaOf(job string) string { return fmt.Sprintf("%x", sha256.Sum256([]byte(job))) }

// harness checks, once a process, the pure functions behind what the tests see of a
// process on the systems a run may not be on: the output of ps (macOS and the BSDs),
// the answers of Windows, a /proc stat line (Linux), and a goroutine's stack. A run on
// Linux thus tests the macOS and Windows paths too, with the samples each system gives.
var harness = sync.OnceValue(func() error {
	var errs []error
	for _, c := range []struct{ out, want string }{
		{"S\n", "S"}, {"Ss\n", "S"}, {"Z+\n", "Z"}, {"R+\n", "R"}, {"U\n", "U"}, {"", ""},
		{"  Ss  \n", "S"}, {"I<\n", "I"}, {"T\n", "T"},
	} {
		if got := psState(c.out); got != c.want {
			errs = append(errs, fmt.Errorf("psState(%q) = %q, want %q", c.out, got, c.want))
		}
	}
	if got := stateWords("U"); !strings.Contains(got, "uninterruptible") {
		errs = append(errs, fmt.Errorf("stateWords(%q) = %q, want macOS's uninterruptible wait", "U", got))
	}
	for _, c := range []struct {
		opened           bool
		code             uint32
		created, start   string
		want             string
		whatTheCaseMeans string
	}{
		{true, stillActive, "133", "133", "R", "running"},
		{true, 3, "133", "133", "Z", "exited, a handle still open"},
		{true, 0, "133", "-", "Z", "exited, start not recorded"},
		{false, 0, "", "133", "", "gone"},
		{true, stillActive, "200", "133", "", "its pid now another process's"},
	} {
		if got := windowsState(c.opened, c.code, c.created, c.start); got != c.want {
			errs = append(errs, fmt.Errorf("windowsState(%v, %d, %q, %q) = %q, want %q (%s)",
				c.opened, c.code, c.created, c.start, got, c.want, c.whatTheCaseMeans))
		}
	}
	stat := "42 (a) b (c) d) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 98765 0 0"
	if f := statFields(stat); len(f) < 20 || f[0] != "S" || f[19] != "98765" {
		errs = append(errs, fmt.Errorf("statFields(%q) = %q, want state S and start time 98765", stat, f))
	}
	g := parseGoroutine("goroutine 7 [chan receive, 2 minutes]:\n" +
		"github.com/x/exercises/12_processes.Stream.func1()\n" +
		"\tC:/Users/x/workbook/exercises/12_processes/stream.go:40 +0x1f\n" +
		"created by github.com/x/exercises/12_processes.Stream in goroutine 6\n" +
		"\tC:/Users/x/workbook/exercises/12_processes/stream.go:38 +0x2a")
	if g.status != "chan receive" || !g.learner() || !g.parked() || g.inWait() {
		errs = append(errs, fmt.Errorf("parseGoroutine: %+v, want a goroutine of learner code parked on a channel", g))
	}
	g = parseGoroutine("goroutine 9 [syscall]:\nsyscall.Syscall6(0xf7)\n\tsyscall/syscall_linux.go:96 +0x45\n" +
		"os.(*Process).Wait(...)\n\tos/exec.go:346\n" +
		"github.com/x/exercises/12_processes.startRun.func1()\n\t/w/exercises/12_processes/terminate_test.go:30 +0x13b")
	if g.learner() || !g.inWait() || g.parked() {
		errs = append(errs, fmt.Errorf("parseGoroutine: %+v, want a test goroutine in os.(*Process).Wait", g))
	}
	return errors.Join(errs...)
})
