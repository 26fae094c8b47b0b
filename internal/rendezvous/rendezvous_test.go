package rendezvous_test

import (
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/rendezvous"
	"github.com/stretchr/testify/assert"
)

func TestParallelCallsMeet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := rendezvous.New(3, time.Second)
		start := time.Now()
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() { defer p.Arrive()() })
		}
		wg.Wait()
		assert.True(t, p.Met())
		assert.Equal(t, 3, p.Peak())
		assert.Equal(t, 3, p.Calls())
		assert.Equal(t, 0, p.InFlight())
		assert.Zero(t, time.Since(start), "met calls must not wait out their patience")
	})
}

func TestSerialCallsDoNotMeet(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := rendezvous.New(2, time.Second)
		start := time.Now()
		for range 3 {
			p.Arrive()()
		}
		assert.False(t, p.Met())
		assert.Equal(t, 1, p.Peak())
		assert.Equal(t, 3*time.Second, time.Since(start), "each serial call waits out its patience")
	})
}

func TestRealTime(t *testing.T) {
	p := rendezvous.New(2, 5*time.Second)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { defer p.Arrive()() })
	}
	wg.Wait()
	assert.True(t, p.Met())
}
