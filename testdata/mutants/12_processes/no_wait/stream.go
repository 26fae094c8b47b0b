// mutant: Stream reads every result but never calls cmd.Wait, so the worker that exited stays a zombie and its exit status is lost; caught by TestStreamResults, TestStreamFullPipe, TestStreamExitStatus

package processes

import (
	"bufio"
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
	written := make(chan struct{})
	go func() {
		defer close(written)
		for job := range jobs {
			_, _ = io.WriteString(stdin, job+"\n")
		}
		stdin.Close()
	}()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		results <- sc.Text()
	}
	<-written
	return sc.Err()
}
