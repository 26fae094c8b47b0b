package processes

import (
	"bufio"
	"cmp"
	"io"
	"os/exec"
)

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
	cmd := exec.Command(argv[0], argv[1:]...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}

	// The jobs go in on a goroutine of their own while this one reads the results: a
	// worker whose stdout pipe is full stops reading its stdin until someone reads.
	written := make(chan error, 1)
	go func() { // ends when jobs is closed
		var err error
		for job := range jobs {
			if err == nil {
				_, err = io.WriteString(stdin, job+"\n")
			}
		}
		written <- cmp.Or(err, stdin.Close())
	}()

	// Every result is read before Wait: Wait closes stdout, and a worker blocked on a
	// full pipe never exits for Wait to see.
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		results <- sc.Text()
	}
	scanErr := sc.Err()
	if scanErr != nil {
		_, _ = io.Copy(io.Discard, stdout) // a worker left blocked on a full pipe never exits
	}
	writeErr := <-written
	return cmp.Or(cmd.Wait(), scanErr, writeErr)
}
