// mutant: a default case in the for-select "so that the loop never blocks": it spins, busy waiting, between ticks; caught by TestMonitorParks, TestMonitorQuit

package async

import "time"

func Monitor(quit <-chan struct{}, interval time.Duration, read func() int, out chan<- int) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	var (
		pending int
		send    chan<- int
	)
	for {
		select {
		case <-quit:
			return
		case <-ticker.C:
			pending, send = read(), out
		case send <- pending:
			send = nil
		default:
		}
	}
}
