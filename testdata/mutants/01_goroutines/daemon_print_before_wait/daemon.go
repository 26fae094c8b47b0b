// mutant: Main prints "done in" and only then waits for its goroutine, so it reports 1s and the line comes before big.png has loaded; caught by TestDaemonOutput, TestDaemonExit

package goroutines

import (
	"fmt"
	"io"
	"time"
)

func pretendLoad(w io.Writer, name string, disk time.Duration) {
	fmt.Fprintf(w, "%s: loading\n", name)
	time.Sleep(disk)
	fmt.Fprintf(w, "%s: loaded\n", name)
}

func Main(w io.Writer) {
	start := time.Now()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pretendLoad(w, "big.png", 2*time.Second)
	}()
	pretendLoad(w, "small.png", time.Second)
	fmt.Fprintf(w, "done in %v\n", time.Since(start))
	<-done
}
