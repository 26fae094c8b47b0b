// mutant: Run returns ctx.Err() as soon as ctx is done, leaving the worker running on its own, to be orphaned when the program ends; caught by TestRunCancelHung, TestRunCancelStubborn, TestRunCancelTidy

package processes

import (
	"context"
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
		return "", ctx.Err()
	}
}
