package deadlock

import "sync"

// Dine seats n philosophers (n ≥ 2) at a round table with a fork between each pair of
// neighbours, and returns when every philosopher has eaten meals times. Philosopher p
// uses forks p and (p+1)%n, each a sync.Mutex. To eat, a philosopher picks up both its
// forks, calls eat(p), and puts them down; neighbours therefore never eat at the same time, while
// philosophers who share no fork may.
//
// firstFork, if not nil, is called each time a philosopher has picked up its first fork
// and before it reaches for its second, with the philosopher and that fork's number: at
// least once a meal, and again each time a philosopher puts its first fork down and
// picks it up again. It is where tests pause philosophers at the worst moment: no matter
// how long it blocks, Dine must not deadlock, and a philosopher who shares no fork with
// the paused one must still be able to pick up its own. eat and firstFork are called
// from many goroutines at the same time.
func Dine(n, meals int, eat func(philosopher int), firstFork func(philosopher, fork int)) {
	forks := make([]sync.Mutex, n)
	var wg sync.WaitGroup
	for p := range n {
		// Lower-numbered fork first: the last philosopher's order is reversed, so no cycle of waits.
		first, second := p, (p+1)%n
		if second < first {
			first, second = second, first
		}
		wg.Go(func() {
			for range meals {
				forks[first].Lock()
				if firstFork != nil {
					firstFork(p, first)
				}
				forks[second].Lock()
				eat(p)
				forks[second].Unlock()
				forks[first].Unlock()
			}
		})
	}
	wg.Wait()
}
