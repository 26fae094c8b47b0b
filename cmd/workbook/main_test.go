package main

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const demoManifest = `{"chapters": [{"id": "01_demo", "title": "Demo", "python": "threading", "exercises": [
	{"name": "add", "title": "Add two numbers", "kind": "fix", "files": ["add.go"], "tests": ["TestAdd"],
	 "hints": ["Look at the operator.", "Use +."]},
	{"name": "hello", "title": "Say hello", "kind": "implement", "files": ["hello.go"], "tests": ["TestHello"],
	 "hints": ["Return the word."]}]}]}`

// demoFiles is a one-chapter workbook: add is wrong as shipped, hello is right and prints a
// debug line without a newline (which once made `run` miss its PASS).
var demoFiles = map[string]string{
	"go.mod":                          "module example.com/wb\n\ngo 1.26\n",
	"workbook.json":                   demoManifest,
	"exercises/01_demo/doc.go":        "// Package demo is a tiny chapter for the tool's tests.\npackage demo\n",
	"exercises/01_demo/add.go":        "package demo\n\n// Add returns a+b.\nfunc Add(a, b int) int { return a - b } // TODO: add\n",
	"exercises/01_demo/hello.go":      "package demo\n\n// Hello says hello.\nfunc Hello() string { print(\"new buffer \"); return \"hello\" }\n",
	"exercises/01_demo/add_test.go":   "package demo\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tif got := Add(2, 3); got != 5 {\n\t\tt.Errorf(\"Add(2, 3) = %d, want 5: the operator subtracts\", got)\n\t}\n}\n",
	"exercises/01_demo/hello_test.go": "package demo\n\nimport \"testing\"\n\nfunc TestHello(t *testing.T) {\n\tif Hello() != \"hello\" {\n\t\tt.Error(\"no hello\")\n\t}\n}\n",
}

// workbook writes files (slash paths) into a new temporary directory and returns it.
func workbook(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	return root
}

// tool runs one command line in dir and returns its exit status, stdout and stderr.
func tool(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runIn(context.Background(), dir, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunStatusHintList(t *testing.T) {
	root := workbook(t, demoFiles)
	code, _, stderr := tool(t, root, "dev", "starting-sums", "-w")
	require.Equal(t, exitOK, code, stderr)

	code, out, _ := tool(t, root)
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "0 of 2 exercises done")
	assert.Contains(t, out, "to do    add")
	assert.Contains(t, out, "Next: 01_demo/add (Add two numbers)\n  go run ./cmd/workbook run 01_demo/add")

	// A failing exercise is reported, and the command did its job: exit status 0, so that
	// `go run` prints no "exit status 1" under it.
	code, out, _ = tool(t, root, "run")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "FAIL  01_demo/add: 1 of 1 tests fail")
	assert.Contains(t, out, "  TestAdd  Add(2, 3) = -1, want 5: the operator subtracts")
	assert.Contains(t, out, "── TestAdd: a wrong result ──")
	assert.Contains(t, out, "Hint 1 of 2: Look at the operator.")

	// A correct solution that prints passes: verdicts come from test2json events.
	code, out, _ = tool(t, root, "run", "01_demo/hello")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "PASS  01_demo/hello: all 1 tests pass under -race")
	assert.Contains(t, out, "Next: 01_demo/add")

	code, out, _ = tool(t, root, "status")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "1 of 2 exercises done")
	assert.Contains(t, out, "to do    add          Add two numbers  (last run: wrong result)")
	assert.Contains(t, out, "done     hello")
	assert.Contains(t, out, "failing now: TestAdd")

	require.NoError(t, os.WriteFile(filepath.Join(root, "exercises/01_demo/add.go"),
		[]byte("package demo\n\n// Add returns a+b.\nfunc Add(a, b int) int { return a + b }\n"), 0o644))
	code, out, _ = tool(t, root, "status")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "changed  add")
	assert.Contains(t, out, "done     hello", "working on add leaves hello done")
	code, out, _ = tool(t, root, "status", "-check")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "2 of 2 exercises done")
	assert.Contains(t, out, "Every exercise passes")

	code, out, _ = tool(t, root, "hint", "01_demo/add")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "01_demo/add, hint 1 of 2:\n  Look at the operator.")
	_, out, _ = tool(t, root, "hint", "add")
	assert.Contains(t, out, "hint 2 of 2:\n  Use +.")

	_, out, _ = tool(t, root, "list")
	assert.Contains(t, out, "01_demo/add              fix       Add two numbers\n    go test -race -run '^(TestAdd)$' ./exercises/01_demo")
}

func TestRunBuildError(t *testing.T) {
	files := map[string]string{}
	for k, v := range demoFiles {
		files[k] = v
	}
	files["exercises/01_demo/add.go"] = "package demo\n\nfunc Add(a, b int) int { return a +  }\n"
	root := workbook(t, files)
	code, out, _ := tool(t, root, "run", "01_demo/hello")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "FAIL  01_demo/hello: the package does not build")
	assert.Contains(t, out, "add.go:3")
	assert.Contains(t, out, `section "What you build"`)
}

func TestUsage(t *testing.T) {
	root := workbook(t, demoFiles)
	code, out, _ := tool(t, root, "help")
	assert.Equal(t, exitOK, code)
	for _, c := range append(append([]*command{}, commands...), devCommands...) {
		assert.True(t, strings.Contains(out, " "+c.name), "help names %s", c.name)
		assert.Contains(t, readmeTable(), "`go run ./cmd/workbook ", c.name)
	}
	code, _, stderr := tool(t, root, "frobnicate")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, `no command "frobnicate"`)
	code, _, stderr = tool(t, root, "run", "01_demo/nothing")
	assert.Equal(t, exitUsage, code)
	assert.NotEmpty(t, stderr)
	code, _, stderr = tool(t, t.TempDir(), "status")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "no workbook")
	code, _, _ = tool(t, root, "dev")
	assert.Equal(t, exitUsage, code)
	code, _, _ = tool(t, root, "bench", "-cpu", "one")
	assert.Equal(t, exitUsage, code)
}

func TestDevChecksumCommands(t *testing.T) {
	root := workbook(t, demoFiles)
	code, _, _ := tool(t, root, "dev", "sums")
	assert.Equal(t, exitFailed, code, "no workbook.sum yet")
	code, out, _ := tool(t, root, "dev", "sums", "-w")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "wrote workbook.sum")
	code, out, _ = tool(t, root, "dev", "sums")
	assert.Equal(t, exitOK, code, out)
	require.NoError(t, os.WriteFile(filepath.Join(root, "exercises/01_demo/add_test.go"), []byte("package demo\n"), 0o644))
	code, out, _ = tool(t, root, "dev", "sums")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "exercises/01_demo/add_test.go edited")

	code, _, _ = tool(t, root, "dev", "starting-sums")
	assert.Equal(t, exitFailed, code)
	tool(t, root, "dev", "starting-sums", "-w")
	code, _, _ = tool(t, root, "dev", "starting-sums")
	assert.Equal(t, exitOK, code)
}

func TestGradeCommand(t *testing.T) {
	root := workbook(t, demoFiles)
	tool(t, root, "dev", "sums", "-w")
	jsonOut, junitOut := filepath.Join(root, "grade.json"), filepath.Join(root, "junit.xml")
	code, out, _ := tool(t, root, "grade", "-json", jsonOut, "-junit", junitOut, "-timeout", "60s")
	assert.Equal(t, exitFailed, code, "an exercise fails")
	assert.Contains(t, out, "score 1/2")
	var rep struct {
		Totals struct{ Pass, Fail int }
	}
	b, err := os.ReadFile(jsonOut)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &rep))
	assert.Equal(t, 1, rep.Totals.Pass)
	assert.Equal(t, 1, rep.Totals.Fail)
	assert.FileExists(t, junitOut)

	// A grade that cannot start leaves no report behind, not even an old one.
	require.NoError(t, os.WriteFile(filepath.Join(root, "workbook.json"), []byte("{broken"), 0o644))
	code, _, _ = tool(t, root, "grade", "-json", jsonOut)
	assert.Equal(t, exitUsage, code)
	assert.NoFileExists(t, jsonOut)
}

func TestReadmeTableIsTheCommandTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(b), readmeTable()), "README.md's command table is stale: go run ./cmd/workbook dev readme -w")
}

// courseFiles is demoFiles with a TestMain that reports to the grader as guard.Main does.
func courseFiles() map[string]string {
	files := map[string]string{}
	for k, v := range demoFiles {
		files[k] = v
	}
	files["internal/guard/guard.go"] = `// Package guard stands in for the workbook's guard.Main.
package guard

import (
	"fmt"
	"os"
	"testing"
)

// Main runs the tests and reports the result where the grader asks.
func Main(m *testing.M) {
	code := m.Run()
	if p := os.Getenv("WORKBOOK_REPORT"); p != "" {
		f, _ := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		fmt.Fprintf(f, "workbook-report %s %d\n", os.Getenv("WORKBOOK_NONCE"), code)
		f.Close()
	}
	os.Exit(code)
}
`
	files["exercises/01_demo/main_test.go"] = "package demo\n\nimport (\n\t\"testing\"\n\n\t\"example.com/wb/internal/guard\"\n)\n\nfunc TestMain(m *testing.M) { guard.Main(m) }\n"
	return files
}

func TestGradeCourse(t *testing.T) {
	course := workbook(t, courseFiles())
	solved := courseFiles()
	solved["exercises/01_demo/add.go"] = "package demo\n\n// Add returns a+b.\nfunc Add(a, b int) int { return a + b }\n"
	solved["exercises/01_demo/add_test.go"] = "package demo\n" // the learner's own test files are not taken
	ana, bruno := workbook(t, solved), workbook(t, courseFiles())
	out := filepath.Join(t.TempDir(), "grades")
	code, stdout, stderr := tool(t, course, "grade", "-course", course, "-out", out, "-timeout", "60s", ana, bruno)
	assert.Equal(t, exitFailed, code, "a learner has a failing exercise: %s", stderr)
	csv, err := os.ReadFile(filepath.Join(out, "class.csv"))
	require.NoError(t, err)
	names := []string{filepath.Base(ana), filepath.Base(bruno)}
	assert.Equal(t, "learner,01_demo/add,01_demo/hello,pass,exercises\n"+names[0]+",pass,pass,2,2\n"+names[1]+",fail,pass,1,2\n", string(csv))
	assert.Contains(t, stdout, "| "+names[0]+" | 2/2 | 2/2 (100%) |")
	assert.Contains(t, stdout, "| "+names[1]+" | 1/2 | 1/2 (50%) |")
	assert.Contains(t, stdout, "- **"+names[1]+"**: 1 not passing\n  - `01_demo/add` fail: ", "the failures are listed below the table")
	b, err := os.ReadFile(filepath.Join(out, names[0], "grade.json"))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"path": "exercises/01_demo/add_test.go"`, "the learner's test file is listed as ignored")
	assert.FileExists(t, filepath.Join(out, names[1], "junit.xml"))
}

// CONTRIBUTING.md's package map names every package under internal/, and nothing else.
func TestPackageMapIsTheTree(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "CONTRIBUTING.md"))
	require.NoError(t, err)
	text := string(b)
	start := strings.Index(text, "| package | what it does |")
	require.GreaterOrEqual(t, start, 0, "CONTRIBUTING.md has no package map")
	var mapped []string
	for _, l := range strings.Split(text[start:], "\n")[2:] {
		if !strings.HasPrefix(l, "| `") {
			break
		}
		cell := strings.Split(l, "|")[1]
		for _, name := range strings.Split(cell, ",") {
			mapped = append(mapped, strings.Trim(strings.TrimSpace(name), "`"))
		}
	}
	entries, err := os.ReadDir(filepath.Join("..", "..", "internal"))
	require.NoError(t, err)
	var tree []string
	for _, e := range entries {
		if e.IsDir() {
			tree = append(tree, e.Name())
		}
	}
	slices.Sort(mapped)
	assert.Equal(t, tree, mapped, "CONTRIBUTING.md's package map and internal/ differ")
}

// No function of the tool (internal/ and cmd/, tests aside) is over 100 lines: a longer
// one holds several phases that want names of their own.
func TestNoFunctionOver100Lines(t *testing.T) {
	fset := token.NewFileSet()
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join("..", "..", dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			for _, decl := range f.Decls {
				if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
					if n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1; n > 100 {
						t.Errorf("%s: %s is %d lines, want at most 100: split it into named phases", path, fn.Name.Name, n)
					}
				}
			}
			return nil
		})
		require.NoError(t, err)
	}
}

// A command's arguments are written once, in the command table: every flag its flag set
// defines is in them (usage, help and the README print them).
func TestArgsNameEveryFlag(t *testing.T) {
	root := workbook(t, demoFiles)
	flagLine := regexp.MustCompile(`(?m)^  -([a-z-]+)`)
	for _, name := range []string{"status", "grade", "bench", "dev soak", "dev sums", "dev starting-sums", "dev readme",
		"dev translations", "dev bench-charts"} {
		_, _, stderr := tool(t, root, append(strings.Fields(name), "-h")...)
		defined := flagLine.FindAllStringSubmatch(stderr, -1)
		require.NotEmpty(t, defined, "%s -h printed no flags:\n%s", name, stderr)
		for _, f := range defined {
			assert.Contains(t, argsOf(name), "-"+f[1], "%s: -%s is not in the command table's arguments", name, f[1])
		}
	}
}
