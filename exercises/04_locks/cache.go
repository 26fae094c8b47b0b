package locks

import "sync"

// Cache is a read-mostly table of string keys and values, for many readers and a few
// writers. The zero Cache is empty and ready to use; its methods may be called from any
// number of goroutines at once.
type Cache struct {
	// TODO: Python's threading has one kind of lock, so the seed's cache has one lock for
	// readers and writers alike, and readers wait for each other. Use a sync.RWMutex.
	mu sync.Mutex
	m  map[string]string // guarded by mu
}

// Get returns the value of key and whether the cache has it. Any number of Gets and
// Reads run at once.
func (c *Cache) Get(key string) (string, bool) {
	// TODO: take the lock for reading, so that readers do not wait for each other.
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

// Read calls fn with the cache's table and returns when fn returns. fn may read the
// table but must not change it, keep it after it returns, or call a method of c: Set and
// Update would wait for fn to return, and a Get or a Read would take the read lock a
// second time, which waits for ever once a writer is waiting for the first. Any number of
// Reads and Gets run at the same time.
func (c *Cache) Read(fn func(table map[string]string)) {
	// TODO: the same: a read lock, held while fn runs.
	c.mu.Lock()
	defer c.mu.Unlock()
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
	// TODO: the write lock. Wait for it with Lock, never with a loop of TryLock: only a
	// writer blocked in Lock makes the readers that arrive after it wait.
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	fn(c.m)
}
