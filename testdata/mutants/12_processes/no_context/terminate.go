// mutant: Run starts the worker with exec.Command and ignores ctx, so a hung worker is never stopped and Run waits for it for ever; caught by TestRunCancelHung, TestRunCancelStubborn, TestRunCancelTidy

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
	err := cmd.Run()
	return out.String(), err
}
