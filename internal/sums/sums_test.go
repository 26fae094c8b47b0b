package sums

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatParseRoundTrip(t *testing.T) {
	s := Sums{"b/x.go": "0000000000000000000000000000000000000000000000000000000000000001",
		"a.txt": "ff00000000000000000000000000000000000000000000000000000000000000"}
	got, err := Parse(s.Format("header"))
	require.NoError(t, err)
	if diff := cmp.Diff(s, got); diff != "" {
		t.Errorf("Parse(Format(s)) mismatch (-want +got):\n%s", diff)
	}
	_, err = Parse([]byte("nothex  a\n"))
	assert.ErrorContains(t, err, "line 1")
}

func TestTreeReadsOnlyRegularFiles(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "d"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "d", "a_test.go"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "d", "b.go"), []byte("y"), 0o644))
	// An editor's lock file is a dangling symlink; a symlink to /dev/zero would never end.
	require.NoError(t, os.Symlink("user@host.123", filepath.Join(root, "d", ".#a_test.go")))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(root, "d", "z_test.go")))
	s, err := Tree(root, "d", func(rel string) bool { return filepath.Ext(rel) == ".go" })
	require.NoError(t, err)
	assert.Equal(t, []string{"d/a_test.go", "d/b.go"}, keys(s))

	missing, err := Tree(root, "nothing", nil)
	require.NoError(t, err)
	assert.Empty(t, missing)

	_, err = ReadFile(filepath.Join(root, "d", "z_test.go"))
	assert.ErrorContains(t, err, "not a regular file")
}

func TestDiff(t *testing.T) {
	want := Sums{"a": "1", "b": "2", "c": "3"}
	got := Sums{"a": "1", "b": "9", "d": "4"}
	assert.Equal(t, []Change{{"b", "edited"}, {"c", "deleted"}, {"d", "added"}}, Diff(want, got))
	assert.NotEqual(t, want.Digest("go1"), want.Digest("go2"))
}

func keys(s Sums) []string {
	var k []string
	for p := range s {
		k = append(k, p)
	}
	slices.Sort(k)
	return k
}
