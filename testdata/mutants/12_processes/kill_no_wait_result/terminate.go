// mutant: Run waits for the worker on a goroutine of its own; when ctx is done it interrupts the worker, and after the grace kills it and returns at once, without waiting for what that goroutine's cmd.Wait returns; caught by TestRunCancelStubborn

package processes

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

func Run(ctx context.Context, argv []string, input string, grace time.Duration) (string, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = strings.NewReader(input)
	var out strings.Builder
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.String(), err
	case <-ctx.Done():
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		_ = cmd.Process.Kill()
	}
	select {
	case err := <-done:
		return out.String(), fmt.Errorf("%w: %w", ctx.Err(), err)
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		return "", ctx.Err()
	}
}
