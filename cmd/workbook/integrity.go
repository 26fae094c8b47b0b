package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// sumsFile is the checksum file at the repository's root, in the format of sha256sum:
// one "<hex digest>  <path>" line a file, slash-separated paths, sorted.
const sumsFile = "workbook.sum"

// sumsFix is the command that regenerates the checksum file.
const sumsFix = "go run ./cmd/workbook sums -w"

// sumRoots are the files and directories the checksum file covers, besides the test files
// under exercises/: what decides whether a test passes, other than the learner's code.
var sumRoots = []string{"internal", "testdata", manifest.File, "go.mod", "go.sum"}

// change is one file that differs from the checksum file.
type change struct {
	Path   string `json:"path"`   // slash-separated, relative to the repository's root
	Change string `json:"change"` // "edited", "deleted" or "added"
}

func (c change) String() string { return c.Path + " " + c.Change }

// currentSums returns the SHA-256 digest of every file the checksum file covers, by path.
// The test files are read from tree (such as "exercises" or "solutions") but keyed as
// if they were under exercises/, so that a copy of the exercises is checked against the
// sums of the original.
func currentSums(root, tree string) (map[string]string, error) {
	sums := map[string]string{}
	add := func(key, file string) error {
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		d := sha256.Sum256(b)
		sums[key] = hex.EncodeToString(d[:])
		return nil
	}
	walk := func(dir string, keep func(rel string) bool, key func(rel string) string) error {
		base := filepath.Join(root, filepath.FromSlash(dir))
		return filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
			if errors.Is(err, fs.ErrNotExist) && p == base {
				return nil // a missing directory has no files; its recorded files are "deleted"
			}
			if err != nil {
				return err
			}
			if d.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(base, p)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			if !keep(rel) {
				return nil
			}
			return add(key(rel), p)
		})
	}
	all := func(string) bool { return true }
	err := walk(tree, func(rel string) bool { return strings.HasSuffix(rel, "_test.go") },
		func(rel string) string { return "exercises/" + rel })
	if err != nil {
		return nil, err
	}
	for _, r := range sumRoots {
		info, err := os.Stat(filepath.Join(root, r))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return nil, err
		case info.IsDir():
			err = walk(r, all, func(rel string) string { return r + "/" + rel })
		default:
			err = add(r, filepath.Join(root, r))
		}
		if err != nil {
			return nil, err
		}
	}
	return sums, nil
}

// formatSums renders sums in the format of sha256sum, sorted by path.
func formatSums(sums map[string]string) []byte {
	paths := make([]string, 0, len(sums))
	for p := range sums {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b bytes.Buffer
	for _, p := range paths {
		fmt.Fprintf(&b, "%s  %s\n", sums[p], p)
	}
	return b.Bytes()
}

// parseSums reads a checksum file written by formatSums (or by sha256sum).
func parseSums(b []byte) (map[string]string, error) {
	sums := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		digest, p, ok := strings.Cut(line, "  ")
		if !ok {
			digest, p, ok = strings.Cut(line, " *") // sha256sum's binary mode
		}
		if _, err := hex.DecodeString(digest); !ok || err != nil || len(digest) != 64 || p == "" {
			return nil, fmt.Errorf("%s line %d is not `<sha256>  <path>`", sumsFile, n)
		}
		sums[p] = digest
	}
	return sums, sc.Err()
}

// diffSums lists the files of got that differ from want: edited, deleted or added,
// sorted by path.
func diffSums(want, got map[string]string) []change {
	var changes []change
	for p, d := range want {
		switch g, ok := got[p]; {
		case !ok:
			changes = append(changes, change{p, "deleted"})
		case g != d:
			changes = append(changes, change{p, "edited"})
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			changes = append(changes, change{p, "added"})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes
}

// inTree returns c with a path under exercises/ moved to tree, where the file really is.
func (c change) inTree(tree string) change {
	if rest, ok := strings.CutPrefix(c.Path, "exercises/"); ok {
		c.Path = path.Join(tree, rest)
	}
	return c
}

// affects returns the chapters a changed file can change the verdict of (keyed as under
// exercises/), or nil and true when it affects every chapter.
//
//   - exercises/CH/...: the chapter CH (its tests are compiled into one binary, so an edited
//     or added test file can change any of them);
//   - testdata/CH/... and testdata/mutants/CH/...: the chapter CH;
//   - anything else (internal/, the rest of testdata/, the manifest, go.mod, go.sum): all.
func affects(p string) (chapter string, all bool) {
	parts := strings.Split(p, "/")
	switch {
	case parts[0] == "exercises" && len(parts) > 2:
		return parts[1], false
	case parts[0] == "exercises":
		return "", false // a file beside the chapters belongs to no package that is graded
	case parts[0] == "testdata" && len(parts) > 3 && parts[1] == "mutants":
		return parts[2], false
	case parts[0] == "testdata" && len(parts) > 2 && parts[1] != "mutants" && looksLikeChapter(parts[1]):
		return parts[1], false
	}
	return "", true
}

func looksLikeChapter(s string) bool {
	return len(s) > 3 && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == '_'
}

// tamperedBy returns, for each exercise of m, the changed files that affect it (in tree,
// where they really are). Exercises no change affects are left out.
func tamperedBy(m *manifest.Manifest, changes []change, tree string) map[string][]change {
	out := map[string][]change{}
	for _, c := range changes {
		ch, all := affects(c.Path)
		for _, e := range m.Exercises() {
			if all || e.Chapter.ID == ch {
				out[e.ID()] = append(out[e.ID()], c.inTree(tree))
			}
		}
	}
	return out
}

// integrity compares the files under root (the test files read from tree) with the
// checksum file at sumsPath. It returns the differences and the digest of the checksum
// file itself, which an instructor can compare with the published one.
func integrity(root, tree, sumsPath string) (changes []change, sumsDigest string, err error) {
	b, err := os.ReadFile(sumsPath)
	if err != nil {
		return nil, "", fmt.Errorf("cannot read the checksums (%w): regenerate them with `%s` in the original workbook", err, sumsFix)
	}
	d := sha256.Sum256(b)
	want, err := parseSums(b)
	if err != nil {
		return nil, "", err
	}
	got, err := currentSums(root, tree)
	if err != nil {
		return nil, "", err
	}
	return diffSums(want, got), hex.EncodeToString(d[:]), nil
}

// cmdSums checks (or, with -w, rewrites) the checksum file.
func cmdSums(root string, args []string) int {
	write := len(args) == 1 && args[0] == "-w"
	if len(args) > 0 && !write {
		fmt.Fprintln(os.Stderr, "usage: go run ./cmd/workbook sums [-w]")
		return 2
	}
	got, err := currentSums(root, "exercises")
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook sums:", err)
		return 1
	}
	if write {
		if err := os.WriteFile(filepath.Join(root, sumsFile), formatSums(got), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "workbook sums:", err)
			return 1
		}
		fmt.Printf("wrote %s: %d files\n", sumsFile, len(got))
		return 0
	}
	changes, _, err := integrity(root, "exercises", filepath.Join(root, sumsFile))
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook sums:", err)
		return 1
	}
	if len(changes) == 0 {
		fmt.Printf("%s is current: %d files\n", sumsFile, len(got))
		return 0
	}
	for _, c := range changes {
		fmt.Printf("  %s\n", c)
	}
	fmt.Printf("%s is stale: %d files differ; if the changes are meant, run `%s`\n", sumsFile, len(changes), sumsFix)
	return 1
}

// sums is the check of `make check` that the checksum file is current.
func (c *checker) sums(ctx context.Context) {
	changes, _, err := integrity(c.root, "exercises", filepath.Join(c.root, sumsFile))
	detail := ""
	if err != nil {
		detail = "    " + err.Error()
	} else if len(changes) > 0 {
		var lines []string
		for _, ch := range changes[:min(len(changes), 20)] {
			lines = append(lines, "    "+ch.String())
		}
		if len(changes) > 20 {
			lines = append(lines, fmt.Sprintf("    ... and %d more", len(changes)-20))
		}
		detail = strings.Join(lines, "\n") + "\n    run `" + sumsFix + "` to regenerate it"
	}
	c.check(sumsFile+" holds the sums of the tests, testdata/, internal/, the manifest, go.mod and go.sum",
		err == nil && len(changes) == 0, detail)
}
