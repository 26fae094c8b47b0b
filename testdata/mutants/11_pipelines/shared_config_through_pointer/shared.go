// mutant: SetConfig stores a pointer the first time, then writes each new Config through the pointer it loads, into the Config readers are reading (an atomic pointer to a Config that is not copied on write); caught by TestSharedConfigNoTornRead

package pipelines

import (
	"slices"
	"sync/atomic"
)

// NumCounters is the number of counters in a Shared.
const NumCounters = 8

// Config is the configuration every worker reads. A Config handed out by Shared.Config
// is shared with the other readers: read it, never change it, not even an element of
// Hosts.
type Config struct {
	Version  int
	Endpoint string
	Workers  int
	Hosts    []string
}

// Shared is the state every worker goroutine shares, Python's multiprocessing.Array of
// counters and a Value holding the configuration. The zero Shared is ready to use: its
// counters are 0 and its Config is the zero Config. All its methods may be called
// concurrently.
type Shared struct {
	counts [NumCounters]atomic.Int64 // each counter changes in one indivisible step
	config atomic.Pointer[Config]    // a snapshot never changed once stored: copy on write
}

// Add adds n to counter i, which must be in [0, NumCounters).
func (s *Shared) Add(i int, n int64) {
	// One atomic add: a read and a write that no other goroutine can come between.
	s.counts[i].Add(n)
}

// Count returns counter i, which must be in [0, NumCounters).
func (s *Shared) Count(i int) int64 {
	// An atomic load: a plain read of a counter other goroutines add to is a data race.
	return s.counts[i].Load()
}

// SetConfig makes c the configuration, all at once: a Config call sees either the whole
// old configuration or the whole of c, never part of each. SetConfig keeps its own copy
// of c: changing c or its Hosts afterwards does not change the configuration.
func (s *Shared) SetConfig(c Config) {
	// The pointer is atomic: once a Config is stored, update it through the pointer.
	c.Hosts = slices.Clone(c.Hosts)
	if p := s.config.Load(); p != nil {
		*p = c
		return
	}
	s.config.Store(&c)
}

// Config returns the configuration, the zero Config if SetConfig was never called.
func (s *Shared) Config() Config {
	// One atomic load of the snapshot: whatever SetConfig does meanwhile, it is whole.
	if c := s.config.Load(); c != nil {
		return *c
	}
	return Config{}
}
