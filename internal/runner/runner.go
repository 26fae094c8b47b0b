// Package runner builds a chapter's test binary and runs chosen tests of it in a process
// group of their own, reading test2json events, so that nothing a test prints can change
// a verdict, no process outlives its limit, and output takes bounded memory.
//
// Every command of the workbook tool runs tests through [Build] and [Exec], and decides
// pass or fail with [Result.Verdict].
package runner

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// TestLimit bounds one test's process. Every test of the workbook fails or passes well
// within it; make check asks each to fail within 60 s as shipped (CONTRIBUTING.md).
const TestLimit = 60 * time.Second

// BuildLimit bounds the compilation of one test binary.
const BuildLimit = 5 * time.Minute

// BuildSpec says which test binary to build.
type BuildSpec struct {
	Root     string            // the module's root, where the go command runs
	Pkg      string            // the package directory, slash-separated, relative to Root
	Out      string            // the binary to write
	Race     bool              // build with the race detector
	Overlay  map[string]string // file replaced → file replacing it, absolute paths (go build -overlay)
	Env      []string          // the environment; nil means Env(false)
	ReadOnly bool              // -mod=readonly: the build may not touch go.mod or go.sum
	// Standalone builds the package without its test files (go build), with exactly
	// the flags of its test binary, and writes nothing: does the code build alone?
	Standalone bool
}

// BuildError is a build that failed; Output is what the compiler said.
type BuildError struct{ Output string }

func (e *BuildError) Error() string { return e.Output }

// Build compiles a test binary, bounded by BuildLimit, in a process group that ctx's end
// kills.
func Build(ctx context.Context, b BuildSpec) error {
	// -trimpath keeps absolute directories out of the binary and so out of the build
	// cache's keys: a copy of the workbook elsewhere (a grade's workspace, a fresh clone
	// in CI) reuses what was compiled here. Stacks name files by module path, which the
	// explainer reads as well.
	// -s -w: no symbol table and no DWARF, a third less work for the linker; stacks and
	// race reports name functions, files and lines all the same (from the runtime's own
	// tables).
	args := []string{"test", "-c", "-o", b.Out, "-buildvcs=false", "-trimpath", "-ldflags=-s -w"}
	if b.Standalone {
		args = []string{"build", "-o", os.DevNull, "-buildvcs=false", "-trimpath"}
	}
	if b.Race {
		args = append(args, "-race")
	}
	if b.ReadOnly {
		args = append(args, "-mod=readonly")
	}
	if len(b.Overlay) > 0 {
		js, err := json.Marshal(map[string]any{"Replace": b.Overlay})
		if err != nil {
			return err
		}
		ov := b.Out + ".overlay.json"
		if err := os.WriteFile(ov, js, 0o644); err != nil {
			return err
		}
		args = append(args, "-overlay", ov)
	}
	args = append(args, "./"+strings.TrimPrefix(filepath.ToSlash(b.Pkg), "./"))
	out, err := Go(ctx, b.Root, b.Env, BuildLimit, args...)
	if err != nil {
		msg := strings.TrimSpace(out)
		if msg == "" {
			msg = err.Error()
		}
		return &BuildError{Output: msg}
	}
	return nil
}

// Go runs the go command in dir with env (nil means Env(false)), bounded by limit, in a
// process group of its own, and returns its combined output, cut to MaxOutput.
//
// The go command's work directory is one of the runner's, removed afterwards: a go
// command killed at the limit or by Ctrl-C cannot clean up after itself.
func Go(ctx context.Context, dir string, env []string, limit time.Duration, args ...string) (string, error) {
	tmp, err := os.MkdirTemp("", "workbook-go-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if env == nil {
		env = Env(false)
	}
	env = append(slices.Clip(env), "GOTMPDIR="+tmp)
	return Command(ctx, dir, env, limit, "go", args...)
}

// Command runs a program like Go does.
func Command(ctx context.Context, dir string, env []string, limit time.Duration, name string, args ...string) (string, error) {
	out := NewCapped(MaxOutput)
	err := CommandTo(ctx, out, dir, env, limit, name, args...)
	return out.String(), err
}

// CommandTo runs a program like Command, writing its combined output to w.
func CommandTo(ctx context.Context, w io.Writer, dir string, env []string, limit time.Duration, name string, args ...string) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	if env == nil {
		cmd.Env = Env(false)
	}
	cmd.Stdout, cmd.Stderr = w, w
	cmd.WaitDelay = 2 * time.Second
	err := newTree(cmd).run()
	if ctx.Err() != nil && err != nil {
		err = fmt.Errorf("%s %s: stopped after %s: %w", name, strings.Join(args, " "), limit, ctx.Err())
	}
	return err
}

// test2json is the path of the go tool test2json, found (and built if need be) once.
var test2json = sync.OnceValues(func() (string, error) {
	out, err := Go(context.Background(), ".", nil, BuildLimit, "tool", "-n", "test2json")
	if err != nil {
		return "", fmt.Errorf("go tool -n test2json: %v: %s", err, strings.TrimSpace(out))
	}
	return strings.TrimSpace(out), nil
})

// Spec says which tests of a built binary to run, and how.
type Spec struct {
	Bin   string        // the test binary
	Dir   string        // its package's directory: tests run there
	Run   string        // the -test.run pattern
	Args  []string      // more flags for the binary, like -test.cpu=2
	Limit time.Duration // real time for the whole process
	Env   []string      // nil means Env(false)

	// Report asks the test binary's TestMain (guard.Main) for the result of m.Run through
	// a file in a directory of the runner's (Result.Report).
	Report bool
	// Contain runs the process in a session of its own and, where the system allows, a
	// PID namespace of its own, with its memory and number of processes capped
	// (MaxMemory, MaxProcs; Result.Contained says which of these were in force).
	Contain   bool
	MaxMemory int64 // bytes of resident memory of all its processes; 0 means 2 GiB
	MaxProcs  int   // processes at once; 0 means 256
	// Sandbox, when set, runs the binary under bubblewrap (see Sandbox); the run fails
	// with the reason if it cannot. Check SandboxProblem first.
	Sandbox *Sandbox
}

// Result is what one run of a test binary reported.
type Result struct {
	Tests       map[string]*Test // every test and subtest that reported anything, by full name
	Output      string           // everything the process printed, decoded from events, cut to MaxOutput
	Exit        error            // the process's exit: test2json exits non-zero when the binary fails
	TimedOut    bool             // the binary's -test.timeout fired, or the process was killed at the limit
	Interrupted bool             // the caller's context ended first (Ctrl-C): the run says nothing about the code
	Elapsed     time.Duration
	Report      *Report  // what TestMain reported, when Spec.Report asked for it
	Killed      string   // why the process was killed at a cap (memory, processes), if it was
	Contained   []string // the containment in force, when Spec.Contain asked for it
}

// Test is one test's (or subtest's) verdict and its own output.
type Test struct {
	Name    string
	Status  TestStatus
	Elapsed time.Duration
	Output  string // what the test and its subtests printed, cut to MaxTestOutput (head and tail)
}

// TestStatus is what test2json reported for one test.
type TestStatus string

// The statuses of one test. NotRun means no verdict came: the process ended (or never
// started) before the test reported.
const (
	TestPass   TestStatus = "pass"
	TestFail   TestStatus = "fail"
	TestSkip   TestStatus = "skip"
	TestNotRun TestStatus = "not_run"
)

// Test returns the named test's report, or one that says it did not run.
func (r *Result) Test(name string) *Test {
	if t, ok := r.Tests[name]; ok {
		return t
	}
	return &Test{Name: name, Status: TestNotRun}
}

// testFlags are the test binary's flags for spec. The binary's own timeout fires a tenth
// of the limit before it (between 1 and 5 s, at most half): time to print every
// goroutine's stack on a loaded machine.
func testFlags(spec Spec, limit time.Duration) []string {
	testTimeout := limit - min(max(limit/10, time.Second), 5*time.Second, limit/2)
	flags := []string{"-test.v=test2json", "-test.paniconexit0", "-test.count=1", "-test.timeout=" + testTimeout.String()}
	if spec.Run != "" {
		flags = append(flags, "-test.run="+spec.Run)
	}
	return append(flags, spec.Args...)
}

// Exec runs the tests of spec in a process of their own under test2json, in a process
// group that is killed at the limit, when ctx ends, and again when the run is over, so
// that no process the tests started outlives it. The binary's own -test.timeout fires a
// little before the limit, so that a hung test prints where it hangs.
func Exec(ctx context.Context, spec Spec) *Result {
	res := &Result{Tests: map[string]*Test{}}
	start := time.Now()
	defer func() { res.Elapsed = time.Since(start) }()
	t2j, err := test2json()
	if err != nil {
		res.Exit, res.Output = err, err.Error()
		return res
	}
	limit := spec.Limit
	if limit <= 0 {
		limit = time.Minute
	}
	rctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	flags := testFlags(spec, limit)
	env := spec.Env
	if env == nil {
		env = Env(false)
	}
	var reportPath, nonce string
	if spec.Report {
		dir, path, n, renv, err := newReport()
		if err != nil {
			res.Exit, res.Output = err, err.Error()
			return res
		}
		defer os.RemoveAll(dir)
		reportPath, nonce, env = path, n, append(slices.Clip(env), renv...)
	}
	// test2json runs outside the sandbox, which holds only the binary.
	args := append([]string{"-t", spec.Bin}, flags...)
	if spec.Sandbox != nil {
		reportDir := ""
		if spec.Report {
			reportDir = filepath.Dir(reportPath)
		}
		argv, err := sandboxArgv(spec.Sandbox, spec.Bin, flags, spec.Dir, reportDir)
		if err != nil {
			res.Exit, res.Output = err, sandboxNote(err)
			return res
		}
		args = append([]string{"-t"}, argv...)
		env = append(slices.Clip(env), "TMPDIR=/tmp")
		res.Contained = append(res.Contained, sandboxGuarantees...)
	}
	sink := newSink()
	newCmd := func() (*exec.Cmd, *tree) {
		cmd := exec.CommandContext(rctx, t2j, args...)
		cmd.Dir, cmd.Env = spec.Dir, env
		cmd.Stdout, cmd.Stderr = sink, sink.all
		cmd.WaitDelay = 2 * time.Second
		return cmd, newTree(cmd)
	}
	cmd, tr := newCmd()
	caps := caps{memory: cmp.Or(spec.MaxMemory, 2<<30), procs: cmp.Or(spec.MaxProcs, 256)}
	switch {
	case spec.Contain && spec.Sandbox != nil:
		// bubblewrap makes the PID namespace itself. Started in one of ours, it would read
		// its child's /proc entries in the system's /proc, where that PID is another
		// process or none ("bwrap: open /proc/9/ns/ns failed", in internal/grade's tests).
		res.Contained = append(res.Contained, containSession(tr, caps)...)
	case spec.Contain:
		res.Contained = append(res.Contained, contain(tr, caps)...)
	}
	err = tr.start()
	if err != nil && spec.Contain {
		cmd, tr = newCmd() // the system refused a namespace: run it in a session of its own only
		res.Contained = append(slices.DeleteFunc(res.Contained, func(s string) bool { return !slices.Contains(sandboxGuarantees, s) }),
			containSession(tr, caps)...)
		err = tr.start()
	}
	if err == nil {
		var stop func() string
		if spec.Contain {
			stop = watchCaps(cmd, caps, &res.Contained)
		}
		err = cmd.Wait()
		if stop != nil {
			res.Killed = stop()
		}
	}
	tr.close()
	sink.flush()
	res.Exit = err
	res.Tests = sink.results()
	res.Output = sink.all.String()
	if spec.Report {
		res.Report = readReport(reportPath, nonce)
	}
	res.Interrupted = ctx.Err() != nil
	res.TimedOut = !res.Interrupted && (rctx.Err() != nil || strings.Contains(res.Output, "panic: test timed out after"))
	return res
}

// Env returns the environment for the go command and test binaries: an allow-list of the
// variables the toolchain needs to find itself, its caches and a C compiler, without any
// that change what is built (GOFLAGS, GOWORK, GOEXPERIMENT, ...), with GOWORK=off and a
// race detector that does not sleep at exit. Strict also drops the user's go env file
// (GOENV=off) and proxy settings, for grading.
func Env(strict bool) []string {
	keep := map[string]bool{
		"PATH": true, "HOME": true, "USER": true, "LOGNAME": true, "TMPDIR": true, "TEMP": true, "TMP": true,
		"GOROOT": true, "GOPATH": true, "GOCACHE": true, "GOMODCACHE": true, "GOTMPDIR": true,
		"CC": true, "CXX": true, "CGO_ENABLED": true, "GOTOOLCHAIN": true,
		"SystemRoot": true, "SYSTEMROOT": true, "ComSpec": true, "PATHEXT": true, "LOCALAPPDATA": true,
		"APPDATA": true, "USERPROFILE": true, "ProgramData": true, "XDG_CACHE_HOME": true, "XDG_CONFIG_HOME": true,
		"LANG": true, "LC_ALL": true, "TERM": true,
	}
	if !strict {
		for _, k := range []string{"GOPROXY", "GONOPROXY", "GOPRIVATE", "GONOSUMDB", "GOSUMDB", "GOINSECURE",
			"GOENV", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy", "http_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR"} {
			keep[k] = true
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if keep[k] {
			env = append(env, kv)
		}
	}
	env = append(env, "GOWORK=off", "GORACE=atexit_sleep_ms=0")
	if strict {
		return append(env, "GOENV=off", "GOPROXY=off", "GOFLAGS=-mod=readonly")
	}
	return append(env, "GOFLAGS=")
}

// Slots bounds how many processes run at once, the one limiter of the tool: a caller
// takes a slot before it starts a process (a build, a test binary) and gives it back
// when the process is over.
type Slots struct{ c chan struct{} }

// NewSlots returns n slots (at least one).
func NewSlots(n int) *Slots { return &Slots{c: make(chan struct{}, max(n, 1))} }

// Take waits for a free slot and takes it.
func (s *Slots) Take() { s.c <- struct{}{} }

// Give gives back a slot taken.
func (s *Slots) Give() { <-s.c }

// Parallel runs the jobs with at most n at once and returns when all have returned.
func Parallel(n int, jobs []func()) {
	slots := NewSlots(n)
	var wg sync.WaitGroup
	for _, job := range jobs {
		slots.Take()
		wg.Go(func() {
			defer slots.Give()
			job()
		})
	}
	wg.Wait()
}

// IsBuildError reports whether err is a failed build.
func IsBuildError(err error) bool {
	var b *BuildError
	return errors.As(err, &b)
}

// Procs returns GOMAXPROCS: how many processes the tool runs at once by default.
func Procs() int { return runtime.GOMAXPROCS(0) }
