package main

import (
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCappedKeepsHeadAndTail(t *testing.T) {
	c := &capped{}
	c.Write([]byte("start\n"))
	for range 4 * maxOutput / 1000 {
		c.Write([]byte(strings.Repeat("x", 999) + "\n"))
	}
	c.Write([]byte("the end\n"))
	out := c.String()
	assert.Less(t, len(out), maxOutput+200)
	assert.True(t, strings.HasPrefix(out, "start\n"))
	assert.True(t, strings.HasSuffix(out, "the end\n"))
	assert.Contains(t, out, "bytes of output cut")
}

func TestVerdictReadsTopLevelTests(t *testing.T) {
	out := `=== RUN   TestA
--- PASS: TestA (0.00s)
=== RUN   TestB
=== RUN   TestB/sub
    --- FAIL: TestB/sub (0.00s)
--- FAIL: TestB (0.01s)
FAIL
`
	got := map[string]string{}
	for _, m := range verdict.FindAllStringSubmatch(out, -1) {
		got[m[2]] = m[1]
	}
	assert.Equal(t, map[string]string{"TestA": "PASS", "TestB": "FAIL"}, got)
}

func TestChapterTableSplices(t *testing.T) {
	m, err := manifest.Parse([]byte(`{"chapters": [{"id": "03_race", "title": "Race", "python": "threading", "exercises": [
		{"name": "mutex", "title": "Mutex", "kind": "fix", "files": ["mutex.go"], "tests": ["TestMutex"], "hints": ["h"]}]}]}`))
	require.NoError(t, err)
	table := chapterTable(m)
	assert.Contains(t, table, "| 03 | [Race](exercises/03_race/README.md) | threading | `mutex` (fix) |")
	readme := "# W\n\n" + tableBegin + "\nold\n" + tableEnd + "\nafter\n"
	got, ok := spliceTable(readme, table)
	require.True(t, ok)
	assert.Equal(t, "# W\n\n"+tableBegin+"\n"+table+tableEnd+"\nafter\n", got)
	_, ok = spliceTable("no markers", table)
	assert.False(t, ok)
}

func TestMutantHeader(t *testing.T) {
	m := mutantHeader.FindStringSubmatch("// mutant: locks in argument order; caught by TestOrderedProbe, TestOrderedStress")
	require.NotNil(t, m)
	assert.Equal(t, "locks in argument order", m[1])
	assert.Equal(t, "TestOrderedProbe, TestOrderedStress", m[2])
	assert.Nil(t, mutantHeader.FindStringSubmatch("// locks in argument order"))
}

func TestBar(t *testing.T) {
	assert.Equal(t, "[##--] 50%", bar(2, 4, 4))
	assert.Equal(t, "[----] 0%", bar(0, 0, 4))
}
