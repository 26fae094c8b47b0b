package mutation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const alignImpl = `// The implementation that count_test.go tests.

package demo

import "sync"

// Counter counts.
type Counter struct {
	mu sync.Mutex
	n  int
}

// Add adds one.
func (c *Counter) Add() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}
`

// aligned runs CheckAligned on alignImpl and a mutant made of it by edit.
func aligned(t *testing.T, mutant string) error {
	t.Helper()
	dir := t.TempDir()
	impl := filepath.Join(dir, "impl", "count.go")
	mut := filepath.Join(dir, "mutant", "count.go")
	require.NoError(t, os.MkdirAll(filepath.Dir(impl), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Dir(mut), 0o755))
	require.NoError(t, os.WriteFile(impl, []byte(alignImpl), 0o644))
	require.NoError(t, os.WriteFile(mut, []byte(mutant), 0o644))
	return CheckAligned(impl, mut)
}

const mutantHeader = "// mutant: Add does not lock; caught by TestAdd; unchecked: no test adds from two goroutines"

func TestCheckAligned(t *testing.T) {
	replace := func(old, new string) string {
		s := strings.Replace(alignImpl, "// The implementation that count_test.go tests.", mutantHeader, 1)
		return strings.Replace(s, old, new, 1)
	}
	cases := []struct {
		name, mutant, err string
	}{
		{"a line replaced", replace("\tc.mu.Lock()\n", "\t// no lock\n"), ""},
		{"several statements on one line", replace("\tc.n++\n", "\tfunc() { c.mu.Unlock(); c.n++; c.mu.Lock() }()\n"), ""},
		{"an import more, the package clause moved up", replace("\n\npackage demo\n\nimport \"sync\"\n",
			"\npackage demo\n\nimport \"sync\"\nimport \"time\"\n") + "\nvar _ = time.Now\n", "declares _"},
		{"an import more and an unexported method at the end", replace("\n\npackage demo\n\nimport \"sync\"\n",
			"\npackage demo\n\nimport \"sync\"\nimport \"time\"\n") + "\nfunc (c *Counter) now() time.Time { return time.Now() }\n", ""},
		{"the header on a line of its own", mutantHeader + "\n" + alignImpl, "first declaration starts on line 8, and on line 7"},
		{"a line inserted", replace("\tc.n++\n", "\tc.n++\n\tc.n--\n\tc.n++\n"), "count.go:19: this line is line 17"},
		{"a line taken out", replace("\tc.mu.Lock()\n", ""), "count.go:15: this line is line 16"},
		{"another package", strings.Replace(replace("", ""), "package demo", "package other", 1), "package other, want package demo"},
		{"a package-level name more", replace("", "") + "\nfunc helper() {}\n", "declares helper, which"},
		{"no header", alignImpl, "begins with its header"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := aligned(t, c.mutant)
			if c.err == "" {
				assert.NoError(t, err)
			} else if assert.Error(t, err) {
				assert.Contains(t, err.Error(), c.err)
			}
		})
	}
}

func TestCheckAlignedFileName(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.go"), filepath.Join(dir, "b.go")
	require.NoError(t, os.WriteFile(a, []byte(alignImpl), 0o644))
	require.NoError(t, os.WriteFile(b, []byte(alignImpl), 0o644))
	err := CheckAligned(a, b)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "has the name of the file it replaces")
}

// TestChapterMutantsAligned: every mutant of a chapter whose learners write the tests
// keeps the implementation's lines (make check runs CheckAligned too).
func TestChapterMutantsAligned(t *testing.T) {
	root, err := layout.FindRoot(".")
	require.NoError(t, err)
	m, err := manifest.Load(root)
	require.NoError(t, err)
	mutants, _ := manifest.LoadMutants(root, m)
	n := 0
	for _, mu := range mutants {
		if !mu.Chapter.Exercises[0].Writes() {
			continue
		}
		for impl, file := range mu.Overlay {
			assert.NoError(t, CheckAligned(impl, file), "%s/%s", mu.Chapter.ID, mu.Name)
			n++
		}
	}
	assert.Positive(t, n)
}
