package goroutines

import (
	"fmt"
	"io"
	"time"
)

// pretendLoad stands for loading one image from disk: it prints a line, waits for the
// disk for the given time, and prints another line. It writes to w, the program's
// standard output.
func pretendLoad(w io.Writer, name string, disk time.Duration) {
	fmt.Fprintf(w, "%s: loading\n", name)
	time.Sleep(disk)
	fmt.Fprintf(w, "%s: loaded\n", name)
}

// Main is the body of the seed's first program, written to w (its standard output):
// it loads a large image (2s) in a goroutine and, at the same time, a small one (1s) on
// its own goroutine, then prints how long the two took together. Everything is printed
// before Main returns.
func Main(w io.Writer) {
	start := time.Now()
	done := make(chan struct{})
	go func() { // thread.start()
		defer close(done)
		pretendLoad(w, "big.png", 2*time.Second)
	}()
	pretendLoad(w, "small.png", time.Second) // main's own work
	// thread.join(): a Go program ends when main returns, so wait for the goroutine here.
	<-done
	fmt.Fprintf(w, "done in %v\n", time.Since(start))
}
