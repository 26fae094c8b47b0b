package pipelines

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/go-concurrency-workbook/workbook/internal/guard"
)

// unordered calls write in a goroutine of its own, then read, in fake time: the sleep
// between them lets write finish first, so that the two never run at the same instant,
// but it orders nothing for the race detector. Any access of read that conflicts with one
// of write, without an atomic or a lock between them, is reported as a data race, every
// run, at any GOMAXPROCS.
func unordered(t *testing.T, what string, write, read func()) {
	t.Helper()
	guard.Bubble(t, limit, what, func(t *testing.T) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			write()
		}()
		time.Sleep(time.Second)
		read()
		<-done
	})
}

func TestSharedCounters(t *testing.T) {
	var first Shared
	unordered(t, "Add(3, 1) in one goroutine, then Count(3) in another",
		func() { first.Add(3, 1) },
		func() {
			if got := first.Count(3); got != 1 {
				t.Errorf("Add(3, 1) in one goroutine, then Count(3) in another = %d, want 1", got)
			}
		})

	const goroutines, adds = 8, 1000
	what := fmt.Sprintf("%d goroutines each calling Add(i, 1) %d times, spread over the %d counters, "+
		"while another one reads them with Count", goroutines, adds, NumCounters)
	var s Shared
	shrank := make(chan string, 1)
	guard.Run(t, limit, what, func() {
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for k := range adds {
					s.Add((g+k)%NumCounters, 1)
				}
			})
		}
		wg.Go(func() { // a reader: no counter it watches ever goes down
			var last [NumCounters]int64
			for range adds / 10 {
				for i := range NumCounters {
					c := s.Count(i)
					if c < last[i] {
						select {
						case shrank <- fmt.Sprintf("Count(%d) returned %d after %d", i, c, last[i]):
						default:
						}
					}
					last[i] = c
				}
			}
		})
		wg.Wait()
	})
	want := int64(goroutines * adds / NumCounters)
	for i := range NumCounters {
		if got := s.Count(i); got != want {
			t.Errorf("%s: Count(%d) = %d, want %d: %d additions were lost. counts[i] += n is a read, "+
				"an add and a write: two goroutines read the same count, both add, and one write "+
				"overwrites the other. Use atomic.Int64 and its Add.", what, i, got, want, want-got)
		}
	}
	select {
	case s := <-shrank:
		t.Errorf("%s: %s: a counter went down, want it only to grow: the reads and the adds are "+
			"not atomic", what, s)
	default:
	}
}

// version returns the configuration SetConfig stores as version v in the tests: every
// field says v, so a Config that mixes two versions shows it. The strings all have the
// same length, so that a torn read is not also a read out of bounds.
func version(v int) Config {
	return Config{
		Version:  v,
		Endpoint: fmt.Sprintf("https://v%04d.example", v),
		Workers:  v%8 + 1,
		Hosts:    []string{fmt.Sprintf("a%04d", v), fmt.Sprintf("b%04d", v)},
	}
}

func TestSharedConfigNoTornRead(t *testing.T) {
	const updates, readers, reads = 200, 3, 200
	what := fmt.Sprintf("one goroutine calling SetConfig %d times while %d others call Config %d "+
		"times each", updates, readers, reads)
	// Only the race detector sees a SetConfig that writes into a Config readers read,
	// instead of publishing a new one: first into a zero Shared, then into a Config
	// already published.
	failed := t.Failed()
	const set = "SetConfig(version 1) in one goroutine, then Config() in another"
	var first Shared
	var got Config
	unordered(t, set,
		func() { first.SetConfig(version(1)) },
		func() { got = first.Config() })
	const replaced = "SetConfig(version 1), then SetConfig(version 2) in one goroutine and Config() in another"
	var second Shared
	second.SetConfig(version(1))
	unordered(t, replaced,
		func() { second.SetConfig(version(2)) },
		func() { second.Config() })
	if !failed && t.Failed() { // the race detector reported a race between the two
		t.Errorf("%s; %s: a data race between SetConfig and Config (the report is below): "+
			"SetConfig wrote into a Config that readers may be reading. An atomic.Pointer makes "+
			"the pointer atomic, not the Config it points to: a write through a loaded pointer, "+
			"or under a lock the readers do not take, races with every reader. Copy on write: "+
			"build a new Config, Store a pointer to it, and never write a Config once it is "+
			"stored.", set, replaced)
		return
	}
	if !cmp.Equal(version(1), got) {
		t.Errorf("%s = %+v, want %+v", set, got, version(1))
	}

	var s Shared
	s.SetConfig(version(0))
	torn := make(chan Config, readers)
	guard.Run(t, limit, what, func() {
		var wg sync.WaitGroup
		wg.Go(func() {
			for v := 1; v <= updates; v++ {
				s.SetConfig(version(v))
			}
		})
		for range readers {
			wg.Go(func() {
				for range reads {
					if c := s.Config(); !cmp.Equal(version(c.Version), c) {
						torn <- c
						return
					}
				}
			})
		}
		wg.Wait()
	})
	select {
	case c := <-torn:
		t.Errorf("%s: Config() = %+v, want a configuration that SetConfig stored, such as %+v: this "+
			"one is part old, part new. A reader ran while SetConfig was writing the fields one by "+
			"one. Publish a whole new *Config with one atomic.Pointer Store, and never write a "+
			"Config once it is stored.", what, c, version(c.Version))
	default:
	}
	if got, want := s.Config(), version(updates); !cmp.Equal(want, got) {
		t.Errorf("%s: at the end, Config() = %+v, want the last one stored, %+v", what, got, want)
	}
}

func TestSharedConfigCopied(t *testing.T) {
	var s Shared
	if diff := cmp.Diff(Config{}, s.Config()); diff != "" {
		t.Errorf("Config() on a zero Shared differs from the zero Config (-want +got):\n%s", diff)
	}
	hosts := []string{"db1", "db2"}
	s.SetConfig(Config{Version: 1, Endpoint: "https://example.com", Workers: 4, Hosts: hosts})
	hosts[0] = "changed by the caller"
	want := Config{Version: 1, Endpoint: "https://example.com", Workers: 4, Hosts: []string{"db1", "db2"}}
	if diff := cmp.Diff(want, s.Config()); diff != "" {
		t.Errorf(`SetConfig(c with Hosts ["db1" "db2"]), then hosts[0] = "changed by the caller": `+
			"Config() differs (-want +got):\n%s\nSetConfig kept the caller's slice, so the caller "+
			"changed the stored configuration, while readers may be reading it. Nothing is pickled "+
			"in Go: a copy of a struct shares its slices' arrays. Clone Hosts (slices.Clone) before "+
			"storing.", diff)
	}
	s.SetConfig(version(2))
	if diff := cmp.Diff(version(2), s.Config()); diff != "" {
		t.Errorf("SetConfig(version 2), then Config() differs (-want +got):\n%s", diff)
	}
}
