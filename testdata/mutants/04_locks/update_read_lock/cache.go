// mutant: Update takes the read lock, so that readers are not held up while fn runs: but other Updates share it too, and two of them write the map at the same time; caught by TestCacheWritersKeepWrites

package locks

import "sync"

// Cache is a read-mostly table of string keys and values, for many readers and a few
// writers. The zero Cache is empty and ready to use; its methods may be called from any
// number of goroutines at once.
type Cache struct {
	mu sync.RWMutex      // readers share it (RLock), a writer has it alone (Lock)
	m  map[string]string // guarded by mu
}

// Get returns the value of key and whether the cache has it. Any number of Gets and
// Reads run at once.
func (c *Cache) Get(key string) (string, bool) {
	// A read lock: other readers go on, only a writer waits.
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[key]
	return v, ok
}

// Read calls fn with the cache's table and returns when fn returns. fn may read the
// table but must not change it, keep it after it returns, or call Set or Update (they
// would wait for fn to return). Any number of Reads and Gets run at once.
func (c *Cache) Read(fn func(table map[string]string)) {
	// The whole of fn runs under the read lock, so every fn of every reader can run at once.
	c.mu.RLock()
	defer c.mu.RUnlock()
	fn(c.m)
}

// Set sets key to value.
func (c *Cache) Set(key, value string) {
	c.Update(func(table map[string]string) { table[key] = value })
}

// Update calls fn with the cache's table for writing, and returns when fn returns. fn
// must not keep the table or call a method of c. Every Get and Read that starts after
// Update returns sees fn's changes. A Get or Read that starts while Update waits for
// readers to finish waits for Update, and sees its changes: readers that keep arriving
// cannot starve a writer.
func (c *Cache) Update(fn func(table map[string]string)) {
	// The read lock, so that readers are not held up while fn runs.
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	fn(c.m)
}
