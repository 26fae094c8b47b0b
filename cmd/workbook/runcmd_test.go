package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

const demoManifest = `{"chapters": [{"id": "01_demo", "title": "Demo", "python": "threads",
		"exercises": [
			{"name": "a", "title": "A", "kind": "fix", "files": ["a.go"], "tests": ["TestA"], "hints": ["Hint a1.", "Hint a2."]},
			{"name": "b", "title": "B", "kind": "fix", "files": ["b.go"], "tests": ["TestB"], "hints": ["Hint b1."]}]}]}`

// demoChapter writes a chapter of two exercises, a and b, with a shared file, into root.
func demoChapter(t *testing.T, root string) *manifest.Manifest {
	t.Helper()
	demoWrite(t, root, manifest.File, demoManifest)
	m, err := manifest.Parse([]byte(demoManifest))
	if err != nil {
		t.Fatal(err)
	}
	demoWrite(t, root, "exercises/01_demo/shared.go", "package demo\n")
	demoWrite(t, root, "exercises/01_demo/a.go", "package demo\n\n// A returns 1.\nfunc A() int { return 0 }\n")
	demoWrite(t, root, "exercises/01_demo/b.go", "package demo\n\n// B returns 2.\nfunc B() int { return 0 }\n")
	demoWrite(t, root, "exercises/01_demo/a_test.go", "package demo\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {\n\tif A() != 1 {\n\t\tt.Error(\"A() != 1\")\n\t}\n}\n")
	demoWrite(t, root, "exercises/01_demo/b_test.go", "package demo\n\nimport \"testing\"\n\nfunc TestB(t *testing.T) {\n\tif B() != 2 {\n\t\tt.Error(\"B() != 2\")\n\t}\n}\n")
	return m
}

func demoWrite(t *testing.T, root, rel, text string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func demoStatuses(root string, m *manifest.Manifest) string {
	var s []string
	for _, v := range viewAll(root, m, loadState(root)) {
		st := v.Status
		if v.DoneBefore {
			st += "+before"
		}
		s = append(s, v.Exercise.Name+"="+st)
	}
	return strings.Join(s, " ")
}

func TestStatusWithoutRunning(t *testing.T) {
	root := t.TempDir()
	m := demoChapter(t, root)
	if got := demoStatuses(root, m); got != "a=changed b=changed" {
		t.Errorf("without starting sums: %s, want both changed", got)
	}
	if err := writeStartingSums(root); err != nil {
		t.Fatal(err)
	}
	if got := demoStatuses(root, m); got != "a=to do b=to do" {
		t.Errorf("starting code: %s", got)
	}
	demoWrite(t, root, "exercises/01_demo/a.go", "package demo\n\n// A returns 1.\nfunc A() int { return 1 }\n")
	if got := demoStatuses(root, m); got != "a=changed b=to do" {
		t.Errorf("a.go edited: %s", got)
	}

	// A remembered result counts while the files are those it was found on.
	s := loadState(root)
	cs := s.chapterAt("01_demo", chapterHash(root, m.Chapters[0]))
	cs.Exercises["a"] = exerciseState{Done: true}
	s.Chapters["01_demo"] = cs
	if err := s.save(root); err != nil {
		t.Fatal(err)
	}
	if got := demoStatuses(root, m); got != "a=done b=to do" {
		t.Errorf("a remembered done: %s", got)
	}
	demoWrite(t, root, "exercises/01_demo/shared.go", "package demo\n\n// Shared is new.\nconst Shared = 1\n")
	if got := demoStatuses(root, m); got != "a=changed+before b=changed" {
		t.Errorf("shared.go edited after a passed: %s", got)
	}
	demoWrite(t, root, "exercises/01_demo/shared.go", "package demo\n")
	demoWrite(t, root, "exercises/01_demo/extra.go", "package demo\n")
	if got := demoStatuses(root, m); got != "a=changed+before b=changed" {
		t.Errorf("a file added: %s", got)
	}
}

// TestRunExercise builds and runs a small chapter in a temporary module: a failure is
// explained and remembered, then a pass is remembered and names the next exercise.
func TestRunExercise(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a test binary")
	}
	root := t.TempDir()
	m := demoChapter(t, root)
	demoWrite(t, root, "go.mod", "module example.com/demo\n\ngo 1.26\n")
	t.Setenv("GOFLAGS", "-buildvcs=false")
	if err := writeStartingSums(root); err != nil {
		t.Fatal(err)
	}
	e := m.Chapters[0].Exercises[0]
	var out bytes.Buffer
	if runAndExplain(context.Background(), root, &out, e) {
		t.Fatalf("the starting code passed:\n%s", out.String())
	}
	for _, want := range []string{"FAIL  01_demo/a", "A() != 1", "What went wrong: a wrong result", "First hint: Hint a1."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output does not say %q:\n%s", want, out.String())
		}
	}
	if got := demoStatuses(root, m); got != "a=failing b=to do" {
		t.Errorf("after a failing run: %s", got)
	}

	demoWrite(t, root, "exercises/01_demo/a.go", "package demo\n\n// A returns 1.\nfunc A() int { return 1 }\n")
	out.Reset()
	if !runAndExplain(context.Background(), root, &out, e) {
		t.Fatalf("the fixed code failed:\n%s", out.String())
	}
	for _, want := range []string{"PASS  01_demo/a", "1 of 2 done", "go run ./cmd/workbook run 01_demo/b"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output does not say %q:\n%s", want, out.String())
		}
	}
	if got := demoStatuses(root, m); got != "a=done b=to do" {
		t.Errorf("after a passing run: %s", got)
	}

	demoWrite(t, root, "exercises/01_demo/b.go", "package demo\n\nfunc B() int { return undefined }\n")
	out.Reset()
	runAndExplain(context.Background(), root, &out, m.Chapters[0].Exercises[1])
	if !strings.Contains(out.String(), "undefined") || !strings.Contains(out.String(), "it does not compile") {
		t.Errorf("a build error is not shown and explained:\n%s", out.String())
	}
	if got := demoStatuses(root, m); got != "a=failing+before b=failing" {
		t.Errorf("after a build error: %s", got)
	}
}
