// mutant: Get holds the read lock and calls Read, which takes the read lock again: fine among readers, but a writer that starts waiting between the two makes the second RLock wait for the writer, and the writer waits for the first: a deadlock; caught by TestCacheReadLockOnce

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
func (c *Cache) Get(key string) (v string, ok bool) {
	// A read lock: other readers go on, only a writer waits. Readers share it, so taking
	// it again in Read is harmless.
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.Read(func(table map[string]string) { v, ok = table[key] })
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
	// sync.RWMutex.Lock blocks new readers while it waits, which is what keeps it from starving.
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	fn(c.m)
}
