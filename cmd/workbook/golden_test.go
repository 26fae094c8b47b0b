package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/explain"
	"github.com/go-concurrency-workbook/workbook/internal/i18n"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
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
	if root == "" {
		return out
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

// checkGolden compares got with the golden file name under testdata/workbook/golden, or
// rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden := filepath.Join("..", "..", "testdata", "workbook", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err, "no golden file: go test ./cmd/workbook -run Golden -update")
	assert.Equal(t, string(want), got, "%s changed: if on purpose, go test ./cmd/workbook -run Golden -update", name)
}

// englishOnly makes the tool speak English whatever the machine's locale.
func englishOnly(t *testing.T) {
	t.Setenv("WORKBOOK_LANG", "en")
}

// Whole outputs of `run` on a one-chapter workbook: a wrong result, a pass (with a
// print in front of the framing), a build error.
func TestGoldenRun(t *testing.T) {
	englishOnly(t)
	root := workbook(t, demoFiles)
	for _, tc := range []struct{ name, exercise, file, content string }{
		{name: "run_wrong.txt", exercise: "01_demo/add"},
		{name: "run_pass.txt", exercise: "01_demo/hello"},
		{name: "run_build_error.txt", exercise: "01_demo/hello", file: "exercises/01_demo/add.go",
			content: "package demo\n\nfunc Add(a, b int) int { return a +  }\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.file != "" {
				p := filepath.Join(root, filepath.FromSlash(tc.file))
				old, err := os.ReadFile(p)
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(p, []byte(tc.content), 0o644))
				t.Cleanup(func() { os.WriteFile(p, old, 0o644) })
			}
			_, out, _ := tool(t, root, "run", tc.exercise)
			checkGolden(t, tc.name, normalise(out, root))
		})
	}
}

// Whole explanations of captured failures of the kinds a learner meets most: a data
// race, a deadlock, a leak, busy waiting, a watchdog on a nil channel.
func TestGoldenExplain(t *testing.T) {
	englishOnly(t)
	explain.SetLang(i18n.English)
	ch := &manifest.Chapter{ID: "01_demo", Title: "Demo"}
	e := &manifest.Exercise{Name: "demo", Title: "Demo", Files: []string{"code.go"}, Tests: []string{"TestDemo"},
		Hints: []string{"The first hint.", "The second hint."}, Chapter: ch}
	for _, capture := range []string{"race.txt", "deadlock.txt", "leak.txt", "workbook_06_conditions_cond.txt", "watchdog_nil_chan.txt"} {
		t.Run(capture, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "workbook", "explain", capture))
			require.NoError(t, err)
			var out strings.Builder
			explain.Write(&out, e, explain.Explain(e, []explain.Failure{{Test: "TestDemo", Output: string(b)}}, "go test"), 0)
			checkGolden(t, "explain_"+capture, normalise(out.String(), ""))
		})
	}
}

// The grade's JSON and JUnit reports of a one-chapter workbook, whole.
func TestGoldenGradeReports(t *testing.T) {
	englishOnly(t)
	root := workbook(t, demoFiles)
	tool(t, root, "dev", "sums", "-w")
	jsonOut, junitOut := filepath.Join(root, "grade.json"), filepath.Join(root, "junit.xml")
	tool(t, root, "grade", "-json", jsonOut, "-junit", junitOut, "-timeout", "60s")
	for name, path := range map[string]string{"grade.json": jsonOut, "grade_junit.xml": junitOut} {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		got := normalise(string(b), root)
		for _, r := range []struct{ re, with string }{
			{`"(elapsed_seconds|timeout_seconds|score)": [0-9.e+-]+`, `"$1": N`},
			{`"started": "[^"]*"`, `"started": "T"`},
			{`"go_version": "[^"]*"`, `"go_version": "V"`},
			{`"sums_sha256": "[0-9a-f]*"`, `"sums_sha256": "H"`},
			{`time="[0-9.]+"`, `time="N"`},
			{`timestamp="[^"]*"`, `timestamp="T"`},
			{`\(\d+(\.\d+)?s\)`, "(T)"},
		} {
			got = regexp.MustCompile(r.re).ReplaceAllString(got, r.with)
		}
		checkGolden(t, name, got)
	}
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
	checkGolden(t, "run_06_conditions_cond.pt-BR.txt", got)
	for _, pt := range []string{"FALHA  06_conditions/cond", "espera ocupada", "Leia: exercises/06_conditions/README.pt-BR.md", "Dica 1 de 3"} {
		assert.Contains(t, got, pt)
	}
}
