package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// maxOutput is how much of a test process's output is kept: its first and last halves.
const maxOutput = 256 << 10

// buildTest compiles the test binary of the package in dir (relative to root) into bin,
// with the race detector if race is set and with the given overlay (file replaced → file
// replacing it) if it is not empty. It returns the compiler's output on failure.
func buildTest(ctx context.Context, root, dir, bin string, race bool, overlay map[string]string) error {
	args := []string{"test", "-c", "-o", bin}
	if race {
		args = append(args, "-race")
	}
	if len(overlay) > 0 {
		b, err := json.Marshal(map[string]any{"Replace": overlay})
		if err != nil {
			return err
		}
		ov := bin + ".overlay.json"
		if err := os.WriteFile(ov, b, 0o644); err != nil {
			return err
		}
		args = append(args, "-overlay", ov)
	}
	args = append(args, "./"+filepath.ToSlash(dir))
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s", strings.TrimSpace(string(out)))
	}
	return nil
}

// result is what one run of a test binary reported.
type result struct {
	Passed   map[string]bool // top-level tests that reported --- PASS
	Failed   map[string]bool // top-level tests that reported --- FAIL
	TimedOut bool            // killed at the limit, or testing's own -test.timeout fired
	Exit     error
	Output   string
	Elapsed  time.Duration
}

var verdict = regexp.MustCompile(`(?m)^--- (PASS|FAIL): (\S+) \(`)

// runTest runs a compiled test binary in dir with the tests that match pattern, under a
// limit of real time. The process (and every process it started, where the system has
// process groups) is killed at the limit; output beyond maxOutput is cut.
func runTest(ctx context.Context, bin, dir, pattern string, limit time.Duration, extra ...string) result {
	// The binary's own -test.timeout fires first and prints the running tests; the kill is
	// the last net, for a binary that ignores it.
	ctx, cancel := context.WithTimeout(ctx, limit+min(limit/2, 10*time.Second))
	defer cancel()
	args := append([]string{"-test.run=" + pattern, "-test.v", "-test.count=1",
		"-test.timeout=" + limit.String()}, extra...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	// A race-enabled binary sleeps a second at exit unless told not to.
	cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0 "+os.Getenv("GORACE"))
	out := &capped{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = 2 * time.Second
	ownGroup(cmd)
	start := time.Now()
	err := cmd.Run()
	r := result{Passed: map[string]bool{}, Failed: map[string]bool{}, Exit: err,
		Output: out.String(), Elapsed: time.Since(start)}
	for _, m := range verdict.FindAllStringSubmatch(r.Output, -1) {
		if m[1] == "PASS" {
			r.Passed[m[2]] = true
		} else {
			r.Failed[m[2]] = true
		}
	}
	r.TimedOut = ctx.Err() != nil || strings.Contains(r.Output, "panic: test timed out after")
	return r
}

// verdict reports whether every one of tests passed in r (and the process exited
// cleanly, within its limit), and which of them failed.
func (r result) verdict(tests []string) (passed bool, failed []string) {
	passed = r.Exit == nil && !r.TimedOut
	for _, t := range tests {
		if !r.Passed[t] {
			passed = false
		}
		if r.Failed[t] {
			failed = append(failed, t)
		}
	}
	return passed, failed
}

// capped is an io.Writer that keeps the first and the last maxOutput/2 bytes written.
type capped struct {
	mu      sync.Mutex
	head    bytes.Buffer
	tail    []byte
	dropped int
}

func (c *capped) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(p)
	if room := maxOutput/2 - c.head.Len(); room > 0 {
		k := min(room, len(p))
		c.head.Write(p[:k])
		p = p[k:]
	}
	c.tail = append(c.tail, p...)
	if extra := len(c.tail) - maxOutput/2; extra > 0 {
		c.dropped += extra
		c.tail = append(c.tail[:0], c.tail[extra:]...)
	}
	return n, nil
}

func (c *capped) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dropped == 0 {
		return c.head.String() + string(c.tail)
	}
	return fmt.Sprintf("%s\n... [%d bytes of output cut] ...\n%s", c.head.String(), c.dropped, c.tail)
}

// parallel runs the jobs with at most n at once and returns when all have returned.
func parallel(n int, jobs []func()) {
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for _, job := range jobs {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			job()
		})
	}
	wg.Wait()
}

// excerpt returns the last lines of out, at most n of them, indented for a report.
func excerpt(out string, n int) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return "      " + strings.Join(lines, "\n      ")
}
