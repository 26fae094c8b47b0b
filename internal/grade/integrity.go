package grade

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

// SumsFile is the checksum file at the root: the tests, testdata/, internal/, the
// manifest, go.mod and go.sum, which decide whether a test passes besides the learner's
// code.
const SumsFile = "workbook.sum"

// SumsFix is the command that regenerates SumsFile.
const SumsFix = "go run ./cmd/workbook dev sums -w"

// sumRoots are what SumsFile covers besides the test files under exercises/.
var sumRoots = []string{"internal", "testdata", layout.Manifest, "go.mod", "go.sum"}

// CurrentSums returns the digest of every file SumsFile covers. The test files are read
// from tree (such as "exercises" or "solutions") but keyed as if they were under
// exercises/, so that a copy of the exercises is checked against the original's sums.
func CurrentSums(root, tree string) (sums.Sums, error) {
	// The learner's own test files (exercises of kind "tests") are not the course's.
	learner := map[string]bool{}
	if m, err := manifest.Load(root); err == nil {
		learner = m.LearnerFiles(tree)
	}
	tests, err := sums.Tree(root, tree, func(rel string) bool { return strings.HasSuffix(rel, "_test.go") && !learner[rel] })
	if err != nil {
		return nil, err
	}
	all := sums.Sums{}
	for p, d := range tests {
		all[layout.Exercises+strings.TrimPrefix(p, tree)] = d
	}
	for _, r := range sumRoots {
		s, err := sums.Tree(root, r, nil)
		if err != nil {
			return nil, err
		}
		for p, d := range s {
			all[p] = d
		}
	}
	return all, nil
}

// Integrity compares the files under root (the test files read from tree) with the
// checksum file at sumsPath. It returns the differences, keyed as under exercises/, and
// the digest of the checksum file itself, which an instructor can compare with the
// published one.
func Integrity(root, tree, sumsPath string) (changes []sums.Change, digest string, err error) {
	b, err := sums.ReadFile(sumsPath)
	if err != nil {
		return nil, "", fmt.Errorf("cannot read the checksums (%w): regenerate them with `%s` in the original workbook", err, SumsFix)
	}
	d := sha256.Sum256(b)
	want, err := sums.Parse(b)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", SumsFile, err)
	}
	got, err := CurrentSums(root, tree)
	if err != nil {
		return nil, "", err
	}
	return sums.Diff(want, got), hex.EncodeToString(d[:]), nil
}

// inTree returns c with a path under exercises/ moved to tree, where the file really is.
func inTree(c sums.Change, tree string) sums.Change {
	if rest, ok := strings.CutPrefix(c.Path, layout.Exercises+"/"); ok {
		c.Path = path.Join(tree, rest)
	}
	return c
}

// affects returns the chapter a changed file can change the verdict of, or all == true
// when it affects every chapter.
//
//   - exercises/CH/...: the chapter CH (its tests are compiled into one binary);
//   - testdata/CH/... and testdata/mutants/CH/...: the chapter CH;
//   - anything else (internal/, the rest of testdata/, the manifest, go.mod, go.sum): all.
func affects(p string) (chapter string, all bool) {
	parts := strings.Split(p, "/")
	switch {
	case parts[0] == layout.Exercises && len(parts) > 2:
		return parts[1], false
	case parts[0] == layout.Exercises:
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
func tamperedBy(m *manifest.Manifest, changes []sums.Change, tree string) map[string][]sums.Change {
	out := map[string][]sums.Change{}
	for _, c := range changes {
		ch, all := affects(c.Path)
		for _, e := range m.Exercises() {
			if all || e.Chapter.ID == ch {
				out[e.ID()] = append(out[e.ID()], inTree(c, tree))
			}
		}
	}
	return out
}
