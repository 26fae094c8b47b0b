package processes

import (
	"context"
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
	// TODO: tie the worker to ctx (exec.CommandContext), and say what ctx's end does to
	// it: an interrupt first (cmd.Cancel), or a kill where none can be sent, and a kill
	// grace later (cmd.WaitDelay).

	// TODO: give it input, collect its stdout, run it to its end (cmd.Run waits).

	// TODO: if ctx is done, return an error that wraps ctx.Err().
	return "", nil
}
