package processes

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
)

// Parts splits data into n contiguous parts of nearly equal size: part i is
// data[i*len(data)/n : (i+1)*len(data)/n].
func Parts(data []byte, n int) [][]byte {
	parts := make([][]byte, n)
	for i := range parts {
		parts[i] = data[i*len(data)/n : (i+1)*len(data)/n]
	}
	return parts
}

// HashProcs hashes the n parts of data (as [Parts] splits it) in n worker processes, all
// running at the same time: worker i is the program argv, which reads part i from its stdin and
// writes the 32 bytes of its SHA-256 digest to its stdout. HashProcs returns the digests
// in part order.
//
// If a worker fails (an exit status other than 0, or not 32 bytes of output), HashProcs
// returns an error that names it, and no digests. Whatever happens, it returns only
// after every worker has exited and been waited for. It panics if n is less than 1.
func HashProcs(argv []string, data []byte, n int) ([][32]byte, error) {
	if n < 1 {
		panic("processes: HashProcs n must be at least 1")
	}
	parts := Parts(data, n)
	cmds := make([]*exec.Cmd, n)
	outs := make([]bytes.Buffer, n)
	var errs []error
	// Every worker starts before any is waited for: Start returns as soon as the worker runs, and exec's own
	// goroutines feed each stdin and fill each buffer in the meantime.
	for i := range cmds {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Stdin = bytes.NewReader(parts[i])
		cmd.Stdout = &outs[i]
		if err := cmd.Start(); err != nil {
			errs = append(errs, fmt.Errorf("worker %d: %w", i, err))
			break
		}
		cmds[i] = cmd
	}
	// Each started worker is waited for, even after one has failed: a worker never waited
	// for stays a zombie, one left running outlives the call.
	for i, cmd := range cmds {
		if cmd == nil {
			continue
		}
		if err := cmd.Wait(); err != nil {
			errs = append(errs, fmt.Errorf("worker %d (pid %d): %w", i, cmd.Process.Pid, err))
		} else if outs[i].Len() != 32 {
			errs = append(errs, fmt.Errorf("worker %d (pid %d): wrote %d bytes, want a 32-byte digest",
				i, cmd.Process.Pid, outs[i].Len()))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	// Each buffer holds its worker's digest: the order of parts is the order of workers.
	sums := make([][32]byte, n)
	for i := range sums {
		copy(sums[i][:], outs[i].Bytes())
	}
	return sums, nil
}
