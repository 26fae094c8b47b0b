// mutant: Main "waits" for its goroutine with time.Sleep(time.Second), exactly the time big.png has left: the two wake at the same instant and "done in" may come first; caught by TestDaemonOutput

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
	time.Sleep(time.Second)
	fmt.Fprintf(w, "done in %v\n", time.Since(start))
}
