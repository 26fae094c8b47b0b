package runner

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// probe is a "test binary" that tries what hostile learner code would: each subtest
// passes only when the attempt fails (or, for its own loopback and /tmp, works).
const probe = `package p

import (
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
)

func TestProbe(t *testing.T) {
	t.Run("user", func(t *testing.T) {
		b, _ := os.ReadFile("/proc/self/status")
		for _, l := range strings.Split(string(b), "\n") {
			f := strings.Fields(l)
			if len(f) > 1 && f[0] == "Uid:" && f[1] == "0" {
				t.Error("runs as root")
			}
			if len(f) > 1 && f[0] == "CapEff:" && strings.Trim(f[1], "0") != "" {
				t.Errorf("has capabilities %s", f[1])
			}
		}
	})
	t.Run("reads", func(t *testing.T) {
		if _, err := os.ReadFile(os.Getenv("PROBE_SECRET")); err == nil {
			t.Error("read a file of the course outside the workspace")
		}
		if _, err := os.ReadDir(os.Getenv("PROBE_OTHER")); err == nil {
			t.Error("listed another learner's tree")
		}
		if _, err := os.ReadFile(os.Getenv("PROBE_WS_FILE")); err != nil {
			t.Errorf("cannot read its own workspace: %v", err)
		}
	})
	t.Run("writes", func(t *testing.T) {
		if os.WriteFile(os.Getenv("PROBE_WS_FILE"), []byte("x"), 0o644) == nil {
			t.Error("rewrote a file of its workspace")
		}
		exe, _ := os.Executable()
		if os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755) == nil {
			t.Error("replaced its test binary")
		}
		if err := os.WriteFile(os.TempDir()+"/scratch", []byte("x"), 0o644); err != nil {
			t.Errorf("cannot write its own temporary directory: %v", err)
		}
	})
	t.Run("processes", func(t *testing.T) {
		if _, err := os.Stat("/proc/" + os.Getenv("PROBE_GRADER_PID")); err == nil {
			t.Error("sees the grader's process")
		}
	})
	t.Run("network", func(t *testing.T) {
		if c, err := net.Dial("tcp", os.Getenv("PROBE_HOST_ADDR")); err == nil {
			c.Close()
			t.Error("reached a service on the host's loopback")
		}
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("cannot listen on its own loopback: %v", err)
		}
		defer l.Close()
		go func() { c, err := l.Accept(); if err == nil { fmt.Fprint(c, "hi"); c.Close() } }()
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			t.Fatalf("cannot reach its own server: %v", err)
		}
		c.Close()
	})
}
`

// The sandbox of course grading, each of its properties tried by a test binary, with the
// same binary outside the sandbox as the control that shows each try can succeed.
func TestSandbox(t *testing.T) {
	if err := SandboxProblem(); err != nil {
		t.Skip("no sandbox here: " + err.Error())
	}
	private := t.TempDir() // the grader's: the course, other learners
	secret := filepath.Join(private, "course-secret")
	require.NoError(t, os.WriteFile(secret, []byte("s"), 0o644))
	other := filepath.Join(private, "other-learner")
	require.NoError(t, os.MkdirAll(other, 0o755))
	ws := module(t, map[string]string{"p_test.go": probe})
	bin := build(t, ws, false)
	wsFile := filepath.Join(ws, "p", "p_test.go")
	require.NoError(t, OpenToSandbox([]string{filepath.Dir(ws), filepath.Dir(filepath.Dir(bin)), filepath.Dir(bin)}, []string{ws}))
	require.NoError(t, os.Chmod(filepath.Dir(bin), 0o711))

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	env := append(Env(true), "PROBE_SECRET="+secret, "PROBE_OTHER="+other, "PROBE_WS_FILE="+wsFile,
		"PROBE_GRADER_PID="+strconv.Itoa(os.Getpid()), "PROBE_HOST_ADDR="+l.Addr().String())
	subtests := []string{"TestProbe/user", "TestProbe/reads", "TestProbe/writes", "TestProbe/processes", "TestProbe/network"}

	r := Exec(context.Background(), Spec{Bin: bin, Dir: filepath.Join(ws, "p"), Limit: time.Minute, Env: env,
		Contain: true, Sandbox: &Sandbox{Read: []string{ws}}})
	for _, name := range subtests {
		assert.Equal(t, TestPass, r.Test(name).Status, "%s in the sandbox:\n%s", name, r.Test(name).Output)
	}
	assert.Contains(t, strings.Join(r.Contained, "\n"), "bubblewrap", "the guarantees say so")
	b, err := os.ReadFile(wsFile)
	require.NoError(t, err)
	assert.Equal(t, probe, string(b), "the workspace is as it was")

	// The control: outside the sandbox, as root, the same tries succeed.
	if os.Geteuid() == 0 {
		r = Exec(context.Background(), Spec{Bin: bin, Dir: filepath.Join(ws, "p"), Limit: time.Minute, Env: env})
		for _, name := range []string{"TestProbe/user", "TestProbe/reads", "TestProbe/writes", "TestProbe/network"} {
			assert.Equal(t, TestFail, r.Test(name).Status, "%s outside the sandbox: the probe cannot tell", name)
		}
		require.NoError(t, os.WriteFile(wsFile, []byte(probe), 0o644))
	}
}
