//go:build unix

package main

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

func TestRunTestKillsTheProcessGroupAtTheLimit(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child.pid")
	script := filepath.Join(dir, "fake.test")
	// A "test binary" that ignores -test.timeout and starts a child that never exits.
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\nsleep 300 &\necho $! > "+pidFile+"\necho '=== RUN   TestHang'\nwait\n"), 0o755))
	start := time.Now()
	r := runTest(context.Background(), script, dir, ".", 500*time.Millisecond)
	assert.Less(t, time.Since(start), 5*time.Second, "runTest must end at its limit")
	assert.True(t, r.TimedOut)
	assert.Empty(t, r.Passed)
	b, err := os.ReadFile(pidFile)
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	require.NoError(t, err)
	assert.Eventually(t, func() bool { return syscall.Kill(pid, 0) != nil }, 5*time.Second, 10*time.Millisecond,
		"the child process %d outlived the test binary", pid)
}
