// Package layout knows where things are in the workbook: its root, the trees of chapters,
// the mutants, and how a built test binary is named on this system.
package layout

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// The workbook's directories and files, relative to its root, slash-separated.
const (
	Manifest  = "workbook.json" // the single source of truth (internal/manifest)
	Exercises = "exercises"     // the learner's tree of chapters
	Solutions = "solutions"     // the reference tree, with the same tests
	Mutants   = "testdata/mutants"
	State     = ".workbook" // what the tool remembers between runs; git ignores it
)

// FindRoot returns the nearest directory at or above dir that holds the workbook: a
// regular go.mod and a regular workbook.json side by side. A directory named go.mod, or a
// go.mod of some other module below the workbook, does not move the root.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if isFile(filepath.Join(dir, "go.mod")) && isFile(filepath.Join(dir, Manifest)) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no workbook (go.mod beside " + Manifest + ") here or above: run this inside the workbook's directory")
		}
		dir = parent
	}
}

func isFile(p string) bool {
	info, err := os.Lstat(p)
	return err == nil && info.Mode().IsRegular()
}

// Binary returns the file name of a built program called name on this system: name.exe
// on Windows, name elsewhere.
func Binary(name string) string {
	if runtime.GOOS == "windows" {
		return name + ".exe"
	}
	return name
}

// ChapterDir returns the slash-separated path of a chapter in a tree (Exercises or
// Solutions), relative to the root.
func ChapterDir(tree, chapter string) string { return tree + "/" + chapter }

// Files returns the names of the regular files directly in dir.
func Files(dir string) map[string]bool {
	set := map[string]bool{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type().IsRegular() {
			set[e.Name()] = true
		}
	}
	return set
}
