package pipelines

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
//
// This is the seed's translation: counts = Array('q', 8) and a config Value whose
// fields are written one by one.
type Shared struct {
	// TODO: plain int64s that many goroutines add to are a data race, like
	// counts[i] += n without counts.get_lock() in Python: use atomic.Int64.
	counts [NumCounters]int64
	// TODO: a struct written field by field while others read it can be seen half
	// written. Keep a *Config in an atomic.Pointer[Config] instead, and never change a
	// Config once it is stored there: SetConfig stores a new one (copy on write).
	config Config
}

// Add adds n to counter i, which must be in [0, NumCounters).
func (s *Shared) Add(i int, n int64) {
	// TODO: one atomic add.
	s.counts[i] += n
}

// Count returns counter i, which must be in [0, NumCounters).
func (s *Shared) Count(i int) int64 {
	// TODO: an atomic load.
	return s.counts[i]
}

// SetConfig makes c the configuration, all at once: a Config call sees either the whole
// old configuration or the whole of c, never part of each. SetConfig keeps its own copy
// of c: changing c or its Hosts afterwards does not change the configuration.
func (s *Shared) SetConfig(c Config) {
	// TODO: a reader can run between any two of these lines and see a Version from the
	// new configuration with the Endpoint of the old one. Store a pointer to a new Config
	// in one atomic step instead. And Hosts is a slice: the caller's backing array is
	// shared with the stored copy unless you clone it (slices.Clone).
	s.config.Version = c.Version
	s.config.Endpoint = c.Endpoint
	s.config.Workers = c.Workers
	s.config.Hosts = c.Hosts
}

// Config returns the configuration, the zero Config if SetConfig was never called.
func (s *Shared) Config() Config {
	// TODO: one atomic load of the stored *Config (nil until the first SetConfig).
	return s.config
}
