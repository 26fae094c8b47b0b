// mutant: Stream collects the worker's stdout in a bytes.Buffer and sends the results only after the worker has exited, so no result arrives while jobs are still coming; caught by TestStreamInterleaved

package processes

import (
	"bufio"
	"bytes"
	"io"
	"os/exec"
)

func Stream(argv []string, jobs <-chan string, results chan<- string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	cmd.Stdout = &out
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
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		results <- sc.Text()
	}
	return err
}
