// mutant: Main waits for its goroutine but prints "done in" with a deferred Fprintf, whose time.Since(start) is evaluated when the defer statement runs: "done in 0s"; caught by TestDaemonOutput, TestDaemonExit

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
	defer fmt.Fprintf(w, "done in %v\n", time.Since(start))
	done := make(chan struct{})
	go func() {
		defer close(done)
		pretendLoad(w, "big.png", 2*time.Second)
	}()
	pretendLoad(w, "small.png", time.Second)
	<-done
}
