package conditions

import "testing"

func newBuffer(capacity int) queue { return NewBuffer(capacity) }

func TestCloseDrains(t *testing.T) {
	testCloseDrains(t, "Buffer", newBuffer, 3)
}

func TestCloseWakesAll(t *testing.T) {
	testCloseWakesAll(t, "Buffer", newBuffer)
}

func TestClosePutAfterClose(t *testing.T) {
	testPutAfterClose(t, "Buffer", newBuffer)
}

func TestCloseManyProducersConsumers(t *testing.T) {
	testCloseMany(t, "Buffer", newBuffer)
}

func TestCloseConcurrent(t *testing.T) {
	testCloseConcurrent(t, "Buffer", newBuffer)
}
