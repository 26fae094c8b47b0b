package async

import "time"

// Monitor calls read every interval, the first time one interval after it starts, and
// sends each reading to out: a periodic task, like a coroutine that loops on
// asyncio.sleep(interval). It never blocks on out: while the receiver is not ready it goes
// on reading, and a newer reading replaces the one waiting to be sent, so the receiver
// always gets the latest. It returns as soon as quit is closed, even while a reading
// waits to be sent, and stops its ticker first. It waits without using the CPU.
func Monitor(quit <-chan struct{}, interval time.Duration, read func() int, out chan<- int) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	var (
		pending int
		send    chan<- int // nil while nothing waits to be sent: a nil channel's case is never chosen
	)
	// One select waits for all three at once, so quit is heard even while a send waits.
	for {
		select {
		case <-quit:
			return
		case <-ticker.C:
			pending, send = read(), out
		case send <- pending:
			send = nil
		}
	}
}
