package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update rewrites the golden files: go test ./cmd/workbook -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/workbook/golden")

// normalise makes an output comparable across runs and machines: times, goroutine
// numbers, addresses and offsets, absolute paths.
func normalise(out, root string) string {
	for _, r := range []struct{ re, with string }{
		{`\(\d+(\.\d+)?s\)`, "(T)"},
		{`goroutine \d+`, "goroutine N"},
		{`0x[0-9a-f]+`, "0xX"},
		{`\{0xX(, 0xX)*\}`, "{...}"},
		{`\d+(\.\d+)?(ns|µs|ms|s) of fake time`, "D of fake time"}, // a busy waiter's share of fake time varies
	} {
		out = regexp.MustCompile(r.re).ReplaceAllString(out, r.with)
	}
	return strings.ReplaceAll(out, root, "ROOT")
}

// copyWorkbookParts copies the named files and directories of the workbook at the
// repository's root into a new directory: a learner's fresh copy of those parts.
func copyWorkbookParts(t *testing.T, parts ...string) string {
	t.Helper()
	src, dst := filepath.Join("..", ".."), t.TempDir()
	for _, p := range parts {
		err := filepath.WalkDir(filepath.Join(src, p), func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, path)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			in, err := os.Open(path)
			if err != nil {
				return err
			}
			defer in.Close()
			out, err := os.Create(filepath.Join(dst, rel))
			if err != nil {
				return err
			}
			defer out.Close()
			_, err = io.Copy(out, in)
			return err
		})
		require.NoError(t, err)
	}
	return dst
}

// `run` on chapter 06's starting code, for a learner whose LANG is Brazilian Portuguese:
// the whole explanation in Portuguese around the test's own message, the hint and the
// guide's section from the Portuguese guide.
func TestGoldenRunInPortuguese(t *testing.T) {
	root := copyWorkbookParts(t, "go.mod", "go.sum", "workbook.json", "workbook.pt-BR.json", "internal", "exercises/06_conditions")
	t.Setenv("WORKBOOK_LANG", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "pt_BR.UTF-8")
	code, out, errOut := tool(t, root, "run", "06_conditions/cond")
	require.Equal(t, exitOK, code, errOut)
	got := normalise(out, root)
	golden := filepath.Join("..", "..", "testdata", "workbook", "golden", "run_06_conditions_cond.pt-BR.txt")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "no golden file: go test ./cmd/workbook -run Golden -update")
	assert.Equal(t, string(want), got, "the output changed: if on purpose, go test ./cmd/workbook -run Golden -update")
	for _, pt := range []string{"FALHA  06_conditions/cond", "espera ocupada", "Leia: exercises/06_conditions/README.pt-BR.md", "Dica 1 de 3"} {
		assert.Contains(t, got, pt)
	}
}
