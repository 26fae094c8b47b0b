package runner

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A property a system cannot observe is a log line in a test that still passes or fails
// on its other checks: the verdict ignores it, and NotChecked lists it once.
func TestNotChecked(t *testing.T) {
	note := "not checked on windows: that the worker got an interrupt (Windows cannot send one)"
	r := &Result{Tests: map[string]*Test{
		"TestA": {Name: "TestA", Status: TestPass, Output: "    a_test.go:3: " + note + "\n"},
		"TestB": {Name: "TestB", Status: TestPass, Output: "    b_test.go:9: " + note + "\n    b_test.go:10: not checked on windows: zombies (none there)\n"},
	}}
	assert.Equal(t, Pass, r.Verdict([]string{"TestA", "TestB"}))
	assert.Equal(t, []string{note, "not checked on windows: zombies (none there)"}, r.NotChecked([]string{"TestA", "TestB"}))
	assert.Empty(t, r.NotChecked([]string{"TestC"}))
}
