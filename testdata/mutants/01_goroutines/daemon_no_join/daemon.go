// mutant: Main returns without waiting for its goroutine, which is still loading big.png when the program ends; caught by TestDaemonOutput, TestDaemonExit

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
	go pretendLoad(w, "big.png", 2*time.Second)
	pretendLoad(w, "small.png", time.Second)
	fmt.Fprintf(w, "done in %v\n", time.Since(start))
}
