// mutant: when ctx is done, Run kills the worker and returns at once without waiting for it, so the dead worker stays a zombie; caught by TestRunCancelHung, TestRunCancelStubborn, TestRunCancelTidy

package processes

import (
	"context"
	"io"
	"os/exec"
	"strings"
	"time"
)

func Run(ctx context.Context, argv []string, input string, grace time.Duration) (string, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = strings.NewReader(input)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	type result struct {
		out []byte
		err error
	}
	read := make(chan result, 1)
	go func() {
		b, err := io.ReadAll(stdout)
		read <- result{b, err}
	}()
	select {
	case r := <-read:
		if err := cmd.Wait(); err != nil {
			return string(r.out), err
		}
		return string(r.out), r.err
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		return "", ctx.Err()
	}
}
