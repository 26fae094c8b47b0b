// mutant: HashProcs returns at the first worker that fails, without waiting for the others, which are left running or as zombies; caught by TestHashProcsFailure

package processes

import (
	"bytes"
	"fmt"
	"os/exec"
)

func Parts(data []byte, n int) [][]byte {
	parts := make([][]byte, n)
	for i := range parts {
		parts[i] = data[i*len(data)/n : (i+1)*len(data)/n]
	}
	return parts
}

func HashProcs(argv []string, data []byte, n int) ([][32]byte, error) {
	cmds := make([]*exec.Cmd, n)
	outs := make([]bytes.Buffer, n)
	for i, part := range Parts(data, n) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Stdin = bytes.NewReader(part)
		cmd.Stdout = &outs[i]
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		cmds[i] = cmd
	}
	sums := make([][32]byte, n)
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			return nil, fmt.Errorf("worker %d: %w", i, err)
		}
		if outs[i].Len() != 32 {
			return nil, fmt.Errorf("worker %d wrote %d bytes", i, outs[i].Len())
		}
		copy(sums[i][:], outs[i].Bytes())
	}
	return sums, nil
}
