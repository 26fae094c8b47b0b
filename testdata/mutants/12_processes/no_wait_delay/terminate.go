// mutant: Run interrupts the worker when ctx is done but sets no WaitDelay, so a worker that ignores the interrupt is never killed and outlives its cancelled ctx; caught by TestRunCancelStubborn

package processes

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

func Run(ctx context.Context, argv []string, input string, grace time.Duration) (string, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.Stdin = strings.NewReader(input)
	var out strings.Builder
	cmd.Stdout = &out
	err := cmd.Run()
	if ctx.Err() != nil && err != nil && !errors.Is(err, ctx.Err()) {
		err = fmt.Errorf("%w: the worker %w", ctx.Err(), err)
	}
	return out.String(), err
}
