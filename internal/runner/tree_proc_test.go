package runner

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// treeRole makes this test binary, started again with it in the environment, a process
// of the tree under test: "parent" starts a "child" like itself and records both pids;
// "child" waits for ever.
const treeRole = "RUNNER_TREE_ROLE"

// treeProcess runs the role this process was started for, if any, and exits.
func treeProcess() {
	switch os.Getenv(treeRole) {
	case "parent":
		exe, _ := os.Executable()
		child := exec.Command(exe, "-test.run=^$")
		child.Env = append(os.Environ(), treeRole+"=child")
		if err := child.Start(); err != nil {
			os.Exit(3)
		}
		// The record is written last and renamed: a reader sees both pids or nothing.
		rec := os.Getenv("RUNNER_TREE_RECORD")
		_ = os.WriteFile(rec+".tmp", []byte(strconv.Itoa(os.Getpid())+" "+strconv.Itoa(child.Process.Pid)), 0o600)
		_ = os.Rename(rec+".tmp", rec)
		time.Sleep(5 * time.Minute)
		os.Exit(0)
	case "child":
		time.Sleep(5 * time.Minute)
		os.Exit(0)
	}
}

// startTree starts a parent and its child as one tree and returns it with both pids.
func startTree(t *testing.T, ctx context.Context) (*exec.Cmd, *tree, []int) {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	// Not t.TempDir: wine, which runs this test as a Windows binary (make wine), cannot
	// remove a directory the way Go does on Windows.
	rec := filepath.Join(os.TempDir(), "runner-tree-"+strconv.Itoa(os.Getpid())+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	t.Cleanup(func() { _ = os.Remove(rec) })
	cmd := exec.CommandContext(ctx, exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), treeRole+"=parent", "RUNNER_TREE_RECORD="+rec)
	tr := newTree(cmd)
	require.NoError(t, tr.start())
	var pids []int
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(rec)
		if err != nil {
			return false
		}
		for _, f := range strings.Fields(string(b)) {
			n, _ := strconv.Atoi(f)
			pids = append(pids, n)
		}
		return true
	}, 30*time.Second, 20*time.Millisecond, "the parent never recorded itself: it did not run (was it resumed?)")
	require.Len(t, pids, 2)
	return cmd, tr, pids
}

// A tree is killed whole: when its context ends (a time limit, Ctrl-C) the parent and the
// child it started both die, on Unix through the process group and on Windows through
// the Job Object; and close kills a child that outlived its parent.
func TestTreeKillsTheChildren(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cmd, tr, pids := startTree(t, ctx)
	cancel()
	_ = cmd.Wait()
	tr.close()
	for _, pid := range pids {
		assert.Eventually(t, func() bool { return !processAlive(pid) }, 10*time.Second, 20*time.Millisecond,
			"process %d of the tree outlived its cancelled context", pid)
	}

	cmd, tr, pids = startTree(t, context.Background())
	require.NoError(t, cmd.Process.Kill()) // the parent alone: its child lives on
	_ = cmd.Wait()
	tr.close()
	assert.Eventually(t, func() bool { return !processAlive(pids[1]) }, 10*time.Second, 20*time.Millisecond,
		"the child %d outlived its parent and the tree's close", pids[1])
}

func TestMain(m *testing.M) {
	treeProcess()
	os.Exit(m.Run())
}
