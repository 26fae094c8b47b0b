package processes

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hashData returns size bytes for the hash tests: byte i is i*7 % 251, so that no two
// parts of the same size are alike.
func hashData(size int) []byte {
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7 % 251)
	}
	return data
}

// wantDigests returns the SHA-256 of each of the n parts of data, part i being
// data[i*len(data)/n : (i+1)*len(data)/n], in hex.
func wantDigests(data []byte, n int) []string {
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("%x", sha256.Sum256(data[i*len(data)/n:(i+1)*len(data)/n])))
	}
	return want
}

func hexDigests(sums [][32]byte) []string {
	var out []string
	for _, s := range sums {
		out = append(out, fmt.Sprintf("%x", s))
	}
	return out
}

func TestHashProcsDigests(t *testing.T) {
	data := hashData(3<<16 + 7)
	for _, n := range []int{1, 2, 3} {
		t.Run(fmt.Sprintf("n=%d", n), func(t *testing.T) {
			argv := worker(t, "hash")
			dir := os.Getenv(recordsEnv)
			what := fmt.Sprintf("HashProcs(%s, %d bytes, %d)", show(argv), len(data), n)
			var sums [][32]byte
			var err error
			if !within(t, hashLimit, what, func() { sums, err = HashProcs(argv, data, n) }) {
				t.Errorf("%s was still running after %v%s", what, hashLimit, stuck(dir))
				return
			}
			if !started(t, what, dir, fmt.Sprintf("(%d digests, %v)", len(sums), err)) {
				return
			}
			if started := len(records(dir)); started != n {
				t.Errorf("%s = (%d digests, %v) and started %d worker processes, want %d: one worker process "+
					"for each part", what, len(sums), err, started, n)
			}
			if err != nil {
				t.Errorf("%s = %v, want nil: every worker exited with status 0", what, err)
			}
			if diff := cmp.Diff(wantDigests(data, n), hexDigests(sums)); diff != "" {
				t.Errorf("%s returned the wrong digests (-want +got):\n%s\nPart i is "+
					"data[i*len(data)/n:(i+1)*len(data)/n] (Parts); worker i reads it on its stdin, and the 32 "+
					"bytes it writes to its stdout are digest i", what, diff)
			}
			checkReaped(t, what, dir)
		})
	}
}

func TestHashProcsParallel(t *testing.T) {
	const n = 2
	data := hashData(1 << 16)
	argv := worker(t, "hash", fmt.Sprint(n))
	dir := os.Getenv(recordsEnv)
	what := fmt.Sprintf("HashProcs(%s, %d bytes, %d) with workers that answer only once all %d have their part",
		show(argv), len(data), n, n)
	var sums [][32]byte
	var err error
	if ok, why := withinUnless(t, hashLimit, what, func() { sums, err = HashProcs(argv, data, n) },
		func() string { return hashStuck(dir, n) }); !ok {
		if why != "" {
			t.Errorf("%s: %s. HashProcs must start every worker and give each its part before it waits "+
				"for any: cmd.Start returns as soon as the worker runs, and a cmd.Stdin that is not a file "+
				"is fed by exec on a goroutine of its own; cmd.Wait (or Output, or Run) blocks until the "+
				"worker is done%s", what, why, stuck(dir))
			return
		}
		t.Errorf("%s was still running after %v%s", what, hashLimit, stuck(dir))
		return
	}
	if !started(t, what, dir, fmt.Sprintf("(%d digests, %v)", len(sums), err)) {
		return
	}
	alone, _ := filepath.Glob(filepath.Join(dir, "*.alone"))
	if len(alone) > 0 {
		var who []string
		for _, a := range alone {
			peers, _ := os.ReadFile(a)
			who = append(who, fmt.Sprintf("the worker of pid %s saw %s of %d ready",
				strings.TrimSuffix(filepath.Base(a), ".alone"), peers, n))
		}
		t.Errorf("%s = %v: a worker read its part, then waited %v for the other %d to have theirs too, and "+
			"gave up (%s): the workers ran one after another, never %d at the same time. HashProcs must start every "+
			"worker and give each its part before it waits for any: cmd.Start returns as soon as the worker runs, and a "+
			"cmd.Stdin that is not a file is fed by exec on a goroutine of its own; cmd.Wait (or Output, "+
			"or Run) blocks until the worker is done", what, err, patience, n-1, strings.Join(who, "; "), n)
		checkReaped(t, what, dir)
		return
	}
	if err != nil {
		t.Errorf("%s = %v, want nil: every worker exited with status 0", what, err)
	}
	if diff := cmp.Diff(wantDigests(data, n), hexDigests(sums)); diff != "" {
		t.Errorf("%s returned the wrong digests (-want +got):\n%s", what, diff)
	}
	checkReaped(t, what, dir)
}

// hashStuck says why HashProcs, with hash workers that wait for all n to have their part,
// will never start the rest, or "" while it may: fewer than n workers have started, each
// of them has read its part and waits for the others, and every goroutine of the code
// under test waits, for a worker to exit (cmd.Wait), on a channel or a lock, or on a pipe.
func hashStuck(dir string, n int) string {
	k := len(records(dir))
	if k == 0 || k >= n || count(dir, ".ready") < k {
		return ""
	}
	for _, g := range goroutines() {
		if (g.learner() || g.ofExec()) && !g.parked() && !g.inWait() && !g.inFile("Read") && !g.inFile("Write") {
			return ""
		}
	}
	return fmt.Sprintf("%d of the %d workers started and read their part, and HashProcs waits for them to "+
		"exit before it starts the others, which they wait for: the workers run one after another, never "+
		"%d at the same time", k, n, n)
}

func TestHashProcsFailure(t *testing.T) {
	const n = 3
	data := hashData(3 << 16)
	copy(data, "fail")
	// With the peer count, worker 0 fails only once all 3 workers have read their parts.
	argv := worker(t, "hash", fmt.Sprint(n))
	dir := os.Getenv(recordsEnv)
	what := fmt.Sprintf("HashProcs(%s, %d bytes, %d) with worker 0 exiting with status 3 once all %d have their part",
		show(argv), len(data), n, n)
	var sums [][32]byte
	var err error
	if ok, why := withinUnless(t, hashLimit, what, func() { sums, err = HashProcs(argv, data, n) },
		func() string { return hashStuck(dir, n) }); !ok {
		if why != "" {
			t.Errorf("%s: %s. HashProcs must start all its workers before it waits for any%s", what, why, stuck(dir))
			return
		}
		t.Errorf("%s was still running after %v%s", what, hashLimit, stuck(dir))
		return
	}
	if !started(t, what, dir, fmt.Sprintf("(%d digests, %v)", len(sums), err)) {
		return
	}
	if err == nil {
		t.Errorf("%s = (%d digests, nil), want an error: worker 0 exited with status 3 and wrote no digest; "+
			"check what cmd.Wait returns for every worker", what, len(sums))
	}
	checkReaped(t, what, dir)
}
