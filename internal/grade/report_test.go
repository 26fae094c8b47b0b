package grade

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/runner"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJUnitCountsAndEscapes(t *testing.T) {
	rep := &Report{Dir: "exercises", Exercises: []*ExerciseReport{
		{ID: "01_x/a", Chapter: "01_x", Name: "a", Status: runner.Fail, Kind: "wrong", Explanation: "got <1> & want \"2\"",
			Tests: []*TestReport{
				{Name: "TestPass", Status: runner.TestPass},
				{Name: "TestFail", Status: runner.TestFail, Output: "]]> <b>not markup</b> \x1b[31mred\x00"},
				{Name: "TestSkip", Status: runner.TestSkip, Output: "later"},
			}},
		{ID: "01_x/b", Chapter: "01_x", Name: "b", Status: runner.Error, Kind: "unknown",
			Tests: []*TestReport{{Name: "TestCrash", Status: runner.TestNotRun}}},
	}}
	b := JUnit(rep)
	var got junitSuites
	require.NoError(t, xml.Unmarshal(b, &got), "the report must be well-formed XML:\n%s", b)
	assert.Equal(t, 4, got.Tests)
	assert.Equal(t, 1, got.Failures, "only the failed test is a failure")
	assert.Equal(t, 1, got.Errors, "a test that reported nothing is an error")
	assert.Equal(t, 1, got.Skipped, "a skipped test is skipped, not failed")
	s := got.Suites[0]
	assert.Equal(t, []int{1, 1, 1}, []int{s.Failures, s.Errors, s.Skipped})
	assert.Contains(t, s.Cases[1].Failure.Text, "]]> <b>not markup</b>")
	assert.Contains(t, s.Cases[1].Failure.Message, `got <1> & want "2"`)
	assert.NotNil(t, s.Cases[2].Skipped)
	assert.Nil(t, s.Cases[2].Failure)
	assert.False(t, strings.Contains(string(b), "CDATA"))
}

func TestWriteFileReplacesASymlink(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "precious.txt")
	require.NoError(t, os.WriteFile(outside, []byte("keep me"), 0o644))
	link := filepath.Join(dir, "grade.json")
	require.NoError(t, os.Symlink(outside, link))
	require.NoError(t, WriteFile(link, []byte("{}")))
	b, err := os.ReadFile(outside)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(b), "the file the symlink pointed to must be untouched")
	b, err = os.ReadFile(link)
	require.NoError(t, err)
	assert.Equal(t, "{}", string(b))
}
