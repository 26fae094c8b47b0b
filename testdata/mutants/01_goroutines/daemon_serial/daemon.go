// mutant: Main loads big.png and then small.png on its own goroutine, one after the other: 3s instead of 2s; caught by TestDaemonOutput, TestDaemonExit

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
	pretendLoad(w, "big.png", 2*time.Second)
	pretendLoad(w, "small.png", time.Second)
	fmt.Fprintf(w, "done in %v\n", time.Since(start))
}
