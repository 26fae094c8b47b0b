//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// alive reports whether process pid exists and is not a zombie.
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	return err != nil || !strings.Contains(string(b), ") Z ")
}

// TestInterruptLeavesNothing sends Ctrl-C's signal to the tool while a test binary it
// started runs a child process: afterwards neither process exists, and the tool's
// temporary directory is gone. (Before, only watch handled signals: an interrupted run
// left the test binary, its child and /tmp/workbook-* behind.)
func TestInterruptLeavesNothing(t *testing.T) {
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "workbook")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)

	pids := filepath.Join(tmp, "pids")
	require.NoError(t, os.Mkdir(pids, 0o755))
	files := map[string]string{}
	for k, v := range demoFiles {
		files[k] = v
	}
	files["exercises/01_demo/add_test.go"] = `package demo

import (
	"os"
	"os/exec"
	"strconv"
	"testing"
)

func TestAdd(t *testing.T) {
	cmd := exec.Command("sleep", "300")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(` + strconv.Quote(pids) + `+"/child", []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
	os.WriteFile(` + strconv.Quote(pids) + `+"/test", []byte(strconv.Itoa(os.Getpid())), 0o644)
	select {}
}
`
	root := workbook(t, files)
	toolTmp := filepath.Join(tmp, "tooltmp")
	require.NoError(t, os.Mkdir(toolTmp, 0o755))
	cmd := exec.Command(bin, "run", "01_demo/add")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "TMPDIR="+toolTmp)
	var output strings.Builder
	cmd.Stdout, cmd.Stderr = &output, &output
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	read := func(name string) int {
		b, err := os.ReadFile(filepath.Join(pids, name))
		if err != nil {
			return 0
		}
		n, _ := strconv.Atoi(string(b))
		return n
	}
	deadline := time.Now().Add(2 * time.Minute)
	for read("test") == 0 || read("child") == 0 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the test binary never started its child:\n%s", output.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	child, test := read("child"), read("test")
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("the tool did not stop within 30s of Ctrl-C:\n%s", output.String())
	}
	assert.Equal(t, exitInterrupted, cmd.ProcessState.ExitCode(), output.String())
	for _, pid := range []int{test, child} {
		assert.Eventually(t, func() bool { return !alive(pid) }, 5*time.Second, 10*time.Millisecond,
			"process %d outlived the interrupted tool", pid)
	}
	left, err := os.ReadDir(toolTmp)
	require.NoError(t, err)
	var names []string
	for _, e := range left {
		names = append(names, e.Name())
	}
	assert.Empty(t, names, "the tool's temporary files outlived it")
}
