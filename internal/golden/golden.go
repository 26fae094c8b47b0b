// Package golden loads the workbook's committed test data: the corpus and the expected
// results under the repository's top-level testdata/ directory.
package golden

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Root returns the repository's root: the nearest directory at or above the working
// directory that holds go.mod. Tests run in their package's directory, so this finds the
// workbook however deep the package is.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("golden: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("golden: no go.mod at or above the working directory")
		}
		dir = parent
	}
}

// Path returns the path of name (slash-separated) under the repository's testdata/.
func Path(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(Root(t), "testdata", filepath.FromSlash(name))
}

// Load returns the contents of testdata/name, failing t if it cannot be read.
func Load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(Path(t, name))
	if err != nil {
		t.Fatalf("golden: %v (the workbook's testdata/ is part of the repository: restore it with git checkout)", err)
	}
	return b
}

// JSON decodes testdata/name into v, failing t if it cannot be read or decoded.
func JSON(t testing.TB, name string, v any) {
	t.Helper()
	if err := json.Unmarshal(Load(t, name), v); err != nil {
		t.Fatalf("golden: testdata/%s: %v", name, err)
	}
}
