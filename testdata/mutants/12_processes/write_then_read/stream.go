// mutant: Stream writes every job to the worker's stdin first and reads its stdout only after jobs is closed, so a worker whose stdout pipe is full stops reading and both processes wait for ever; caught by TestStreamInterleaved, TestStreamFullPipe

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
	for job := range jobs {
		_, _ = io.WriteString(stdin, job+"\n")
	}
	stdin.Close()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		results <- sc.Text()
	}
	return cmd.Wait()
}
