// Package sums hashes files and trees, and reads, writes and compares checksum files in
// sha256sum's format: the workbook's trust anchors (workbook.sum for grading, the
// starting sums for progress) and the keys of remembered results.
package sums

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// MaxFile is the largest file that is hashed; a bigger one is an error, so that nothing
// can make a reader run out of memory or time.
const MaxFile = 64 << 20

// Sums maps slash-separated paths to hex SHA-256 digests.
type Sums map[string]string

// Parse reads a checksum file in sha256sum's format ("<digest>  <path>" a line, or
// "<digest> *<path>"), skipping blank lines and lines that start with #.
func Parse(b []byte) (Sums, error) {
	s := Sums{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		digest, p, ok := strings.Cut(line, "  ")
		if !ok {
			digest, p, ok = strings.Cut(line, " *")
		}
		if _, err := hex.DecodeString(digest); !ok || err != nil || len(digest) != 64 || p == "" {
			return nil, fmt.Errorf("line %d is not `<sha256>  <path>`", n)
		}
		s[p] = digest
	}
	return s, sc.Err()
}

// Format renders s in sha256sum's format, sorted by path, after a comment line of header
// (none if it is empty).
func (s Sums) Format(header string) []byte {
	var b bytes.Buffer
	if header != "" {
		fmt.Fprintf(&b, "# %s\n", header)
	}
	for _, p := range slices.Sorted(maps.Keys(s)) {
		fmt.Fprintf(&b, "%s  %s\n", s[p], p)
	}
	return b.Bytes()
}

// ReadFile reads a regular file of at most MaxFile bytes without following a symlink.
func ReadFile(path string) ([]byte, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFile {
		return nil, fmt.Errorf("%s is larger than %d MiB", path, MaxFile>>20)
	}
	return b, nil
}

// File returns the hex SHA-256 digest of a regular file (ReadFile).
func File(path string) (string, error) {
	b, err := ReadFile(path)
	if err != nil {
		return "", err
	}
	d := sha256.Sum256(b)
	return hex.EncodeToString(d[:]), nil
}

// Tree returns the digest of every regular file under root/dir (a directory or a single
// file, slash-separated) for which keep (given the path relative to root) returns true,
// keyed by that path. Symlinks and other non-regular files are never followed or read;
// a missing dir has no files.
func Tree(root, dir string, keep func(rel string) bool) (Sums, error) {
	s := Sums{}
	base := filepath.Join(root, filepath.FromSlash(dir))
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == base {
			return nil
		}
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if keep != nil && !keep(rel) {
			return nil
		}
		sum, err := File(p)
		if err != nil {
			return err
		}
		s[rel] = sum
		return nil
	})
	return s, err
}

// Digest returns one hex digest of s: its paths and digests in order, plus extra lines
// (such as the Go version), for keying a result by everything it depends on.
func (s Sums) Digest(extra ...string) string {
	h := sha256.New()
	for _, e := range extra {
		fmt.Fprintln(h, e)
	}
	h.Write(s.Format(""))
	return hex.EncodeToString(h.Sum(nil))
}

// Change is one file that differs between two Sums.
type Change struct {
	Path   string `json:"path"`   // slash-separated, relative to the root
	Change string `json:"change"` // "edited", "deleted" or "added"
}

func (c Change) String() string { return c.Path + " " + c.Change }

// Diff lists the files of got that differ from want: edited, deleted or added, by path.
func Diff(want, got Sums) []Change {
	var changes []Change
	for p, d := range want {
		switch g, ok := got[p]; {
		case !ok:
			changes = append(changes, Change{p, "deleted"})
		case g != d:
			changes = append(changes, Change{p, "edited"})
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			changes = append(changes, Change{p, "added"})
		}
	}
	slices.SortFunc(changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return changes
}

// WriteFile writes b to path through a temporary file in the same directory and a rename,
// so that a reader never sees half a file, and a symlink at path is replaced, never
// followed.
func WriteFile(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
