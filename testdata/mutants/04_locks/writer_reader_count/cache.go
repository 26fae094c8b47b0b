// mutant: a hand-made read-write lock that counts readers and lets the writer wait until the count is zero, while new readers keep coming in: the writer starves; caught by TestCacheWriterNotStarved

package locks

import "sync"

// Cache is a read-mostly table of string keys and values, for many readers and a few
// writers. The zero Cache is empty and ready to use; its methods may be called from any
// number of goroutines at once.
type Cache struct {
	mu      sync.Mutex // guards readers, writing and m's identity
	changed sync.Cond  // L is &mu; signalled when readers or writing change
	once    sync.Once
	readers int  // Reads and Gets inside their section
	writing bool // an Update is inside its section
	m       map[string]string
}

func (c *Cache) init() { c.once.Do(func() { c.changed.L = &c.mu }) }

func (c *Cache) rlock() {
	c.init()
	c.mu.Lock()
	for c.writing {
		c.changed.Wait()
	}
	c.readers++
	c.mu.Unlock()
}

func (c *Cache) runlock() {
	c.mu.Lock()
	c.readers--
	if c.readers == 0 {
		c.changed.Broadcast()
	}
	c.mu.Unlock()
}

// Get returns the value of key and whether the cache has it.
func (c *Cache) Get(key string) (string, bool) {
	c.rlock()
	defer c.runlock()
	v, ok := c.m[key]
	return v, ok
}

// Read calls fn with the cache's table and returns when fn returns.
func (c *Cache) Read(fn func(table map[string]string)) {
	c.rlock()
	defer c.runlock()
	fn(c.m)
}

// Set sets key to value.
func (c *Cache) Set(key, value string) {
	c.Update(func(table map[string]string) { table[key] = value })
}

// Update calls fn with the cache's table for writing, and returns when fn returns.
func (c *Cache) Update(fn func(table map[string]string)) {
	c.init()
	c.mu.Lock()
	for c.writing || c.readers > 0 {
		c.changed.Wait()
	}
	c.writing = true
	if c.m == nil {
		c.m = map[string]string{}
	}
	c.mu.Unlock()
	fn(c.m)
	c.mu.Lock()
	c.writing = false
	c.changed.Broadcast()
	c.mu.Unlock()
}
