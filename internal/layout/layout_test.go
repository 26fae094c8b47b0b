package layout

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindRoot(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, Manifest), []byte("{}"), 0o644))
	deep := filepath.Join(root, "exercises", "03_race")
	require.NoError(t, os.MkdirAll(deep, 0o755))
	// A directory named go.mod below the root must not stop the search there.
	require.NoError(t, os.MkdirAll(filepath.Join(deep, "go.mod"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(deep, Manifest), []byte("{}"), 0o644))

	got, err := FindRoot(deep)
	require.NoError(t, err)
	want, _ := filepath.EvalSymlinks(root)
	gotReal, _ := filepath.EvalSymlinks(got)
	assert.Equal(t, want, gotReal)

	_, err = FindRoot(t.TempDir())
	assert.ErrorContains(t, err, "no workbook")
}
