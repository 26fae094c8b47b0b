// mutant: the goroutine that writes the jobs stops at the first write that fails, and Stream returns once it has, so when the worker exits before jobs is closed the caller's next send blocks for ever; caught by TestStreamWorkerExits

package processes

import (
	"bufio"
	"cmp"
	"io"
	"os/exec"
)

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
	written := make(chan error, 1)
	go func() {
		var err error
		for job := range jobs {
			if _, err = io.WriteString(stdin, job+"\n"); err != nil {
				break
			}
		}
		written <- cmp.Or(err, stdin.Close())
	}()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		results <- sc.Text()
	}
	writeErr := <-written
	return cmp.Or(cmd.Wait(), writeErr)
}
