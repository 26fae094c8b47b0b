package processes

// Stream starts the worker program argv (argv[0] is its path, the rest its arguments)
// and writes each job it receives from jobs to the worker's stdin, as one line. Each
// line the worker writes to its stdout is sent on results as soon as it is read, while
// jobs are still being written: a worker that answers a job before it reads the next one
// gets its answer delivered right away. When jobs is closed, Stream closes the worker's
// stdin, sends the rest of its output on results, and returns once the worker has exited
// and been waited for: nil if it exited with status 0, an error otherwise.
//
// Jobs must not contain a newline. Stream never closes results: the caller keeps
// receiving from it until Stream returns. Stream returns only after jobs is closed, and
// leaves no goroutine behind: if the worker stops reading its stdin (it has exited, say),
// the jobs left are received from jobs and dropped until then.
func Stream(argv []string, jobs <-chan string, results chan<- string) error {
	// TODO: start the worker with pipes to its stdin and from its stdout
	// (exec.Command, StdinPipe, StdoutPipe, Start).

	// TODO: write the jobs on a goroutine of their own, one line each, and close stdin
	// when jobs is closed; after a failed write, go on taking jobs and drop them.

	// TODO: meanwhile, read stdout line by line and send each line on results, to the
	// end, before Wait; then wait for the writer and for the worker (cmd.Wait).
	return nil
}
