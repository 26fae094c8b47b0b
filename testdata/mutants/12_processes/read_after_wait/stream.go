// mutant: Stream writes the jobs on a goroutine but calls cmd.Wait before it reads the worker's stdout, so a worker blocked on a full pipe never exits, and the pipe is closed before anything is read; caught by TestStreamResults, TestStreamInterleaved, TestStreamFullPipe

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
	err = cmd.Wait()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		results <- sc.Text()
	}
	return err
}
