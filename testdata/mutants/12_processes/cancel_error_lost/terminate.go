// mutant: Run returns cmd.Run's error as it is, "signal: interrupt" or "signal: killed", so the caller cannot tell that the worker was stopped because ctx was cancelled; caught by TestRunCancelHung, TestRunCancelStubborn

package processes

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"time"
)

func Run(ctx context.Context, argv []string, input string, grace time.Duration) (string, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = grace
	cmd.Stdin = strings.NewReader(input)
	var out strings.Builder
	cmd.Stdout = &out
	err := cmd.Run()
	return out.String(), err
}
