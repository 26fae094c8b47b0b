// mutant: Run uses exec.CommandContext as it comes, which kills the worker the moment ctx is done (Python's kill(), not terminate()), so a worker never gets to clean up; caught by TestRunCancelTidy

package processes

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

func Run(ctx context.Context, argv []string, input string, grace time.Duration) (string, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = strings.NewReader(input)
	var out strings.Builder
	cmd.Stdout = &out
	err := cmd.Run()
	if ctx.Err() != nil && err != nil && !errors.Is(err, ctx.Err()) {
		err = fmt.Errorf("%w: the worker %w", ctx.Err(), err)
	}
	return out.String(), err
}
