// mutant: a ticker and quit in one select, but each reading is sent with a plain send in the tick case, which blocks the loop until the receiver takes it, and for ever once the receiver has gone; caught by TestMonitorSlowReceiver, TestMonitorQuit

package async

import "time"

func Monitor(quit <-chan struct{}, interval time.Duration, read func() int, out chan<- int) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-quit:
			return
		case <-ticker.C:
			out <- read()
		}
	}
}
