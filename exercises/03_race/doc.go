// Package race counts the letters of twenty documents fetched at the same time into one shared
// frequency table: the seed's threaded letter count of RFC 1000–1019, whose threads lost
// updates on a shared dict and whose main thread polled a global finished_count with
// time.sleep.
//
// Each exercise fixes that program a different way, behind the same signature:
//
//		func CountX(ctx context.Context, fetch Fetcher, names []string) (Table, error)
//
//	  - mutex (mutex.go, fix): the seed's program translated line by line. Guard the
//	    shared Table with a sync.Mutex and wait for the goroutines instead of polling.
//	  - confined (confined.go, implement): give each goroutine a Table of its own and add
//	    them up after every goroutine has finished; no lock at all.
//	  - atomic (atomic.go, fix): the seed's program again, fixed with sync/atomic: atomic
//	    letter counts, and an atomic finished counter whose last increment wakes the caller.
//
// The rules, the same for the three: fetch every document at the same time, with no bound on the
// fetches in flight (the whole call takes about one fetch's latency, not the sum of
// them); count the ASCII letters, an uppercase letter as its lowercase one, and nothing
// else; wait for the goroutines without polling (no time.Sleep), with a sync.WaitGroup,
// an errgroup.Group or a channel; on the first failed fetch, cancel the others, wait for
// them, and return that error; leave no goroutine running when you return; keep the
// table, the counters and the WaitGroup inside the function, so that two calls at the same
// time share nothing (not the seed's globals). The tests run under -race.
//
// Table, Fetcher, Table.Add and CountSerial (table.go) are given; edit only the exercise
// files.
package race
