// mutant: LoadAll calls load for each name in turn, with no goroutine: the loads run one after another; caught by TestJoinConcurrent

package goroutines

func LoadAll(names []string, load func(name string)) {
	for _, name := range names {
		load(name)
	}
}
