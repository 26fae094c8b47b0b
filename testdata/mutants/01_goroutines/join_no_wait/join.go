// mutant: LoadAll starts a goroutine per load and returns without waiting for them (threads started and never joined); caught by TestJoinWaits, TestJoinConcurrent, TestJoinWaitsForUnstarted

package goroutines

func LoadAll(names []string, load func(name string)) {
	for _, name := range names {
		go load(name)
	}
}
