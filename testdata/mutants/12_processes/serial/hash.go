// mutant: HashProcs runs the workers one after another, each with cmd.Output, so no two ever hash at the same time; caught by TestHashProcsParallel, TestHashProcsFailure

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
	sums := make([][32]byte, n)
	for i, part := range Parts(data, n) {
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Stdin = bytes.NewReader(part)
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("worker %d: %w", i, err)
		}
		if len(out) != 32 {
			return nil, fmt.Errorf("worker %d wrote %d bytes", i, len(out))
		}
		copy(sums[i][:], out)
	}
	return sums, nil
}
