package pipelines

import "maps"

// Manager holds a map[string]int for many goroutines, like the dict of Python's
// multiprocessing.Manager(): one goroutine owns the map, and every method sends that
// goroutine a request and waits for its reply. No other goroutine ever touches the map.
//
// Create one with [NewManager] and stop it with Close. The methods may be called
// concurrently, but not after Close.
type Manager struct {
	ops  chan func(map[string]int) // requests, run one at a time by the owner
	done chan struct{}             // closed when the owner has ended
}

// NewManager returns a Manager with an empty map, and starts its owner goroutine.
func NewManager() *Manager {
	m := &Manager{ops: make(chan func(map[string]int)), done: make(chan struct{})}
	go m.own() // ends when Close closes m.ops
	return m
}

// own is the owner goroutine: the map is a local variable of this goroutine only.
func (m *Manager) own() {
	defer close(m.done)
	data := map[string]int{}
	for op := range m.ops {
		op(data)
	}
}

// do runs op in the owner goroutine and returns when it has run.
func (m *Manager) do(op func(data map[string]int)) {
	ran := make(chan struct{})
	m.ops <- func(data map[string]int) {
		op(data)
		close(ran)
	}
	<-ran
}

// Get returns the value of key, and whether key is in the map.
func (m *Manager) Get(key string) (value int, ok bool) {
	// The owner reads the map; <-ran in do makes its writes to value and ok visible here.
	m.do(func(data map[string]int) { value, ok = data[key] })
	return value, ok
}

// Set sets key to value.
func (m *Manager) Set(key string, value int) {
	// The owner writes the map; nobody else does.
	m.do(func(data map[string]int) { data[key] = value })
}

// Add adds delta to the value of key (a missing key counts as 0) and returns the new
// value, in one step: no other call comes between the read and the write.
func (m *Manager) Add(key string, delta int) int {
	// One request, read and write together: a Get then a Set would let others in between.
	var v int
	m.do(func(data map[string]int) {
		data[key] += delta
		v = data[key]
	})
	return v
}

// Snapshot returns a copy of the map, which the caller may keep and change.
func (m *Manager) Snapshot() map[string]int {
	// The owner makes the copy: the map itself would be read by the caller as the owner writes.
	var c map[string]int
	m.do(func(data map[string]int) { c = maps.Clone(data) })
	return c
}

// Close stops the owner goroutine and returns when it has ended. Call it once, after
// every other call has returned.
func (m *Manager) Close() {
	// The owner's range over ops ends when ops is closed; done says it has.
	close(m.ops)
	<-m.done
}
