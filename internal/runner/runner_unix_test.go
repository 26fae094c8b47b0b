//go:build unix

package runner

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExecKillsTheProcessGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	// A "test binary" that ignores -test.timeout and starts a child that never exits.
	script := filepath.Join(dir, "fake.test")
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\nsleep 300 &\necho $! > "+pidFile+"\nwait\n"), 0o755))
	start := time.Now()
	r := Exec(context.Background(), Spec{Bin: script, Dir: dir, Limit: 500 * time.Millisecond})
	assert.Less(t, time.Since(start), 5*time.Second, "Exec must end at its limit")
	assert.True(t, r.TimedOut)
	assert.Equal(t, Timeout, r.Verdict([]string{"TestHang"}))
	b, err := os.ReadFile(pidFile)
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	require.NoError(t, err)
	assert.Eventually(t, func() bool { return !processAlive(pid) }, 5*time.Second, 10*time.Millisecond,
		"the child process %d outlived the test binary", pid)

	// The same when the caller's context ends first (Ctrl-C): interrupted, not timed out.
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	r = Exec(ctx, Spec{Bin: script, Dir: dir, Limit: time.Minute})
	assert.True(t, r.Interrupted)
	assert.False(t, r.TimedOut)
	b, err = os.ReadFile(pidFile)
	require.NoError(t, err)
	pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	assert.Eventually(t, func() bool { return !processAlive(pid) }, 5*time.Second, 10*time.Millisecond,
		"the child process %d outlived the interrupted run", pid)
}

func TestContainCapsMemory(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("memory caps are in force on Linux only")
	}
	root := module(t, map[string]string{
		"p_test.go": `package p

import "testing"

var hog [][]byte

func TestHog(t *testing.T) {
	for {
		b := make([]byte, 16<<20)
		for i := range b {
			b[i] = 1
		}
		hog = append(hog, b)
	}
}
`,
	})
	bin := build(t, root, false)
	start := time.Now()
	r := Exec(context.Background(), Spec{Bin: bin, Dir: filepath.Join(root, "p"), Limit: time.Minute,
		Contain: true, MaxMemory: 256 << 20})
	assert.Less(t, time.Since(start), 30*time.Second)
	assert.Contains(t, r.Killed, "MiB of memory")
	assert.Equal(t, Error, r.Verdict([]string{"TestHog"}))
	assert.Contains(t, strings.Join(r.Contained, ", "), "memory capped at 256 MiB")
}
