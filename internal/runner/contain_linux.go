//go:build linux

package runner

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// contain starts cmd in a session and, as root, a PID namespace of its own: the test
// process then cannot see, stop or signal the tool or any process outside, and every
// process it starts dies with it. It returns what is in force.
func contain(t *tree, _ caps) []string {
	if os.Geteuid() != 0 {
		return containSession(t, caps{})
	}
	t.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Cloneflags: syscall.CLONE_NEWPID}
	return []string{"a session of its own", "a PID namespace of its own"}
}

// containSession starts the tree's command in a session of its own (no PID namespace):
// its process group is the session's, so the tree still kills all of it.
func containSession(t *tree, _ caps) []string {
	t.cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	return []string{"a session of its own"}
}

// watchCaps polls the processes of cmd's session every 100 ms and kills them all when
// their resident memory or their number passes a cap. stop ends the watch and returns
// why it killed them, if it did.
func watchCaps(cmd *exec.Cmd, c caps, contained *[]string) (stop func() string) {
	maxMemory, maxProcs := c.memory, c.procs
	*contained = append(*contained, fmt.Sprintf("memory capped at %d MiB", maxMemory>>20),
		fmt.Sprintf("at most %d processes", maxProcs))
	sid := cmd.Process.Pid
	done := make(chan struct{})
	var mu sync.Mutex
	reason := ""
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			pids, rss := session(sid)
			why := ""
			switch {
			case rss > maxMemory:
				why = fmt.Sprintf("it used %d MiB of memory, more than the cap of %d MiB", rss>>20, maxMemory>>20)
			case len(pids) > maxProcs:
				why = fmt.Sprintf("it ran %d processes at once, more than the cap of %d", len(pids), maxProcs)
			}
			if why != "" {
				mu.Lock()
				reason = why
				mu.Unlock()
				_ = syscall.Kill(-sid, syscall.SIGKILL)
				for _, pid := range pids {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
				return
			}
		}
	})
	return func() string {
		close(done)
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return reason
	}
}

// session returns the processes of session sid and their resident memory in bytes.
func session(sid int) (pids []int, rss int64) {
	entries, _ := os.ReadDir("/proc")
	page := int64(os.Getpagesize())
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses and may hold spaces:
		// state ppid pgrp session ... rss is the 24th field of the line, the 22nd here.
		_, rest, ok := strings.Cut(string(b), ") ")
		f := strings.Fields(rest)
		if !ok || len(f) < 22 {
			continue
		}
		if s, _ := strconv.Atoi(f[3]); s != sid {
			continue
		}
		pids = append(pids, pid)
		n, _ := strconv.ParseInt(f[21], 10, 64)
		rss += n * page
	}
	return pids, rss
}
