package pipelines

// Manager holds a map[string]int for many goroutines, like the dict of Python's
// multiprocessing.Manager(): one goroutine owns the map, and every method sends that
// goroutine a request and waits for its reply. No other goroutine ever touches the map.
//
// Create one with [NewManager] and stop it with Close. The methods may be called
// concurrently, but not after Close.
type Manager struct {
	// TODO: a channel of requests to the owner goroutine, and a way for Close to know
	// that the owner has ended. The map is not here: it belongs to the owner goroutine
	// (a local variable of its function), so that nothing else can reach it.
}

// NewManager returns a Manager with an empty map, and starts its owner goroutine.
func NewManager() *Manager {
	// TODO: make the channels and start the owner: a goroutine that makes the map, then
	// serves requests one at a time until Close closes the channel of requests.
	return &Manager{}
}

// Get returns the value of key, and whether key is in the map.
func (m *Manager) Get(key string) (value int, ok bool) {
	// TODO: send the owner a request and wait for its reply. A request can be a struct
	// with a reply channel, or a func(map[string]int) that the owner calls.
	return 0, false
}

// Set sets key to value.
func (m *Manager) Set(key string, value int) {
	// TODO: a request to the owner, and wait until it is done.
}

// Add adds delta to the value of key (a missing key counts as 0) and returns the new
// value, in one step: no other call comes between the read and the write.
func (m *Manager) Add(key string, delta int) int {
	// TODO: one request that reads and writes; a Get then a Set lets other calls in
	// between, like d[k] += 1 on a Python Manager's dict proxy.
	return 0
}

// Snapshot returns a copy of the map, which the caller may keep and change.
func (m *Manager) Snapshot() map[string]int {
	// TODO: the owner makes the copy (maps.Clone) and sends it back.
	return nil
}

// Close stops the owner goroutine and returns when it has ended. Call it once, after
// every other call has returned.
func (m *Manager) Close() {
	// TODO: tell the owner to stop (close the channel of requests), and wait until it has
	// ended.
}
