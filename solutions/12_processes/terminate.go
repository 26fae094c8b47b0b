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

// Run runs the worker program argv (argv[0] is its path, the rest its arguments) with
// input on its stdin, and returns what it wrote to its stdout: with a nil error if it
// exited with status 0, an error otherwise.
//
// If ctx is done before the worker exits, Run terminates it as Python's terminate()
// does: it sends it an interrupt (os.Interrupt), which the worker may catch to clean up
// and exit, and kills it if it is still running grace later. Where no interrupt can be
// sent (Windows), Run kills the worker as soon as ctx is done. Either way, Run then
// returns what the worker wrote and an error that wraps ctx.Err().
//
// Whatever happens, Run returns only after the worker has exited and been waited for:
// it leaves no zombie, and no worker running on its own.
func Run(ctx context.Context, argv []string, input string, grace time.Duration) (string, error) {
	// CommandContext ties the worker to ctx; Cancel is what ctx's end does to it, WaitDelay
	// how long Wait then gives it before the kill.
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Cancel = func() error {
		err := cmd.Process.Signal(os.Interrupt)
		if err != nil && !errors.Is(err, os.ErrProcessDone) {
			return cmd.Process.Kill() // Windows cannot send an interrupt to another process
		}
		return err
	}
	cmd.WaitDelay = grace
	cmd.Stdin = strings.NewReader(input)
	var out strings.Builder
	cmd.Stdout = &out
	err := cmd.Run()
	// A killed worker's error says only "signal: killed": wrap ctx's, which says why.
	if ctx.Err() != nil && err != nil && !errors.Is(err, ctx.Err()) {
		err = fmt.Errorf("%w: the worker %w", ctx.Err(), err)
	}
	return out.String(), err
}
