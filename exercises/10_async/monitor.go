package async

import "time"

// Monitor calls read every interval, the first time one interval after it starts, and
// sends each reading to out: a periodic task, like a coroutine that loops on
// asyncio.sleep(interval). It never blocks on out: while the receiver is not ready it goes
// on reading, and a newer reading replaces the one waiting to be sent, so the receiver
// always gets the latest. It returns as soon as quit is closed, even while a reading
// waits to be sent, and stops its ticker first. It waits without using the CPU.
func Monitor(quit <-chan struct{}, interval time.Duration, read func() int, out chan<- int) {
	// This is the seed's coroutine translated word for word:
	//
	//	while not quit.is_set():
	//	    await asyncio.sleep(interval)
	//	    await out.put(read())
	for {
		// TODO: quit is only looked at between sleeps: wait for it in one select with a
		// time.Ticker's channel instead (and no default case, which would spin).
		select {
		case <-quit:
			return
		default:
		}
		time.Sleep(interval)
		// TODO: this send blocks until the receiver takes the reading: the loop stops, and if
		// the receiver has gone, it never ends. Make the send a case of the same select,
		// switched off with a nil channel while no reading waits to be sent.
		out <- read()
	}
}
