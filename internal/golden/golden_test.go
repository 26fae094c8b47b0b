package golden_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/golden"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRootHoldsGoMod(t *testing.T) {
	_, err := os.Stat(filepath.Join(golden.Root(t), "go.mod"))
	require.NoError(t, err)
}

func TestPath(t *testing.T) {
	assert.Equal(t, filepath.Join(golden.Root(t), "testdata", "a", "b.txt"), golden.Path(t, "a/b.txt"))
}

func TestLoadAndJSON(t *testing.T) {
	var v map[string]any
	golden.JSON(t, "internal/golden.json", &v)
	assert.NotEmpty(t, v)
	assert.NotEmpty(t, golden.Load(t, "internal/golden.json"))
}
