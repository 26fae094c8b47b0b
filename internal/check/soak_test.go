package check

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUpperBound(t *testing.T) {
	// No failure in 100 runs: about 3% (the rule of three), exactly 1 - 0.05^(1/100).
	assert.InDelta(t, 1-math.Pow(0.05, 0.01), UpperBound(0, 100), 1e-6)
	assert.InDelta(t, 0.0466, UpperBound(1, 100), 5e-4)
	assert.Equal(t, 1.0, UpperBound(5, 5))
}
