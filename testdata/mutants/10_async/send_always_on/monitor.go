// mutant: the send case is never switched off with a nil channel, so it offers the zero value before the first tick and the same reading again and again; caught by TestMonitorTicks, TestMonitorSlowReceiver

package async

import "time"

func Monitor(quit <-chan struct{}, interval time.Duration, read func() int, out chan<- int) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	var pending int
	for {
		select {
		case <-quit:
			return
		case <-ticker.C:
			pending = read()
		case out <- pending:
		}
	}
}
