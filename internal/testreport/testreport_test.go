package testreport

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteThenRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "report")
	require.NoError(t, Write(p, "n1", 0))
	assert.Equal(t, &Report{Code: 0}, Read(p, "n1"))
	assert.Error(t, Write(p, "n1", 1), "a report is written once: a second writer (learner code first) fails")
	assert.Contains(t, Read(p, "other").Problem, "another run")
	assert.Contains(t, Read(filepath.Join(dir, "none"), "n1").Problem, "no report")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "bad"), []byte("PASS\n"), 0o600))
	assert.Contains(t, Read(filepath.Join(dir, "bad"), "n1").Problem, "malformed")
	require.NoError(t, os.Symlink(p, filepath.Join(dir, "link")))
	assert.Contains(t, Read(filepath.Join(dir, "link"), "n1").Problem, "not a regular file")
}
