//go:build unix

package runner

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Alive reports whether process pid exists (a zombie counts as gone).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	return err != nil || !strings.Contains(string(b), ") Z ")
}

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
	assert.Eventually(t, func() bool { return !alive(pid) }, 5*time.Second, 10*time.Millisecond,
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
	assert.Eventually(t, func() bool { return !alive(pid) }, 5*time.Second, 10*time.Millisecond,
		"the child process %d outlived the interrupted run", pid)
}
