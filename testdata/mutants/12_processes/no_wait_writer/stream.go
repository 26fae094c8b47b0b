// mutant: Stream writes the jobs on a goroutine but returns as soon as the worker's stdout ends and cmd.Wait returns, without waiting for that goroutine, which goes on taking jobs after the call when the worker exits before jobs is closed; caught by TestStreamWorkerExits

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
	go func() {
		for job := range jobs {
			_, _ = io.WriteString(stdin, job+"\n")
		}
		stdin.Close()
	}()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		results <- sc.Text()
	}
	return cmd.Wait()
}
