package deadlock

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
	// TODO: n forks (sync.Mutex) and a goroutine per philosopher that, meals times, locks
	// its first fork, calls firstFork, locks its second, eats and unlocks both; wait for
	// them all. Choose the first fork so that the waits can never form a cycle.
}
