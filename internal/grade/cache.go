package grade

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

// cacheSchema changes whenever what a key covers or a cached report means changes.
const cacheSchema = "workbook-grade-cache 1"

// cacheKeep is how long a cached report nobody used stays in the cache.
const cacheKeep = 30 * 24 * time.Hour

// toolParts are the course's files the tool is built from, besides courseParts.
var toolParts = []string{"cmd"}

// courseKey is what a learner's cache key shares with the rest of the class: the
// digest of everything on the grading path that is not the learner's.
type courseKey struct {
	dir    string // the cache directory
	digest string
}

// newCourseKey digests the course's verdict-deciding files (courseParts: the tests,
// testdata/ with the mutants, internal/, the manifest, go.mod, go.sum, the starting
// code) and the tool's (cmd/, its build information), workbook.sum, the Go version and
// platform, and the grade's limits and sandbox: any change regrades everyone.
func newCourseKey(o ClassOptions) (*courseKey, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s %s/%s\nlimit %s memory %d sandbox %t\n", cacheSchema, runtime.Version(), runtime.GOOS, runtime.GOARCH,
		o.Limit, o.MaxMemory, !o.NoSandbox)
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(h, "tool %s %s\n", bi.Main.Path, bi.Main.Version)
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				fmt.Fprintf(h, "%s=%s\n", s.Key, s.Value)
			}
		}
	}
	for _, p := range append(append([]string{SumsFile}, courseParts...), toolParts...) {
		if err := digestTree(h, o.Course, p); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(o.Cache, 0o755); err != nil {
		return nil, err
	}
	return &courseKey{dir: o.Cache, digest: hex.EncodeToString(h.Sum(nil))}, nil
}

// digestTree writes the path and SHA-256 of every regular file of root/rel into h, in
// lexical order, never following a symlink (a symlink is written as one).
func digestTree(h hash.Hash, root, rel string) error {
	base := filepath.Join(root, filepath.FromSlash(rel))
	return filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) && p == base {
			fmt.Fprintf(h, "none %s\n", rel)
			return nil
		}
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(root, p)
		r = filepath.ToSlash(r)
		switch {
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			fmt.Fprintf(h, "irregular %s\n", r)
			return nil
		}
		sum, err := sums.File(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s  %s\n", sum, r)
		return nil
	})
}

// CacheKey returns a learner's key: the course's digest and each learner file the
// course takes, by path, with its SHA-256 or why it was not taken. Nothing else of the
// learner's tree is in it: what the grade ignores does not regrade.
func (c *courseKey) learnerKey(files []takenFile) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\ncourse %s\n", cacheSchema, c.digest)
	for _, f := range files {
		if f.why != "" {
			fmt.Fprintf(h, "%s %s\n", f.why, f.rel)
			continue
		}
		fmt.Fprintf(h, "%x  %s\n", sha256.Sum256(f.b), f.rel)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// lookup returns the cached report of key, or nil; a used entry's time is renewed.
func (c *courseKey) lookup(key string) *Report {
	p := filepath.Join(c.dir, key+".json")
	b, err := sums.ReadFile(p) // never through a symlink
	if err != nil {
		return nil
	}
	var rep Report
	if json.Unmarshal(b, &rep) != nil || rep.Schema != 1 || rep.CacheKey != key || len(rep.Exercises) == 0 {
		return nil
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now)
	return &rep
}

// store puts a fresh report in the cache, unless a verdict may depend on the machine's
// load (a timeout): that learner is graded again next time. Failing to store is not an
// error: the grade stands, the next one redoes it.
func (c *courseKey) store(key string, rep *Report) {
	if rep.Totals.Timeout > 0 {
		return
	}
	_ = WriteFile(filepath.Join(c.dir, key+".json"), JSON(rep))
}

// PruneCache removes the cached reports (KEY.json) of dir that no grade used for 30
// days, and returns how many it removed.
func PruneCache(dir string) int {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || filepath.Ext(e.Name()) != ".json" || time.Since(info.ModTime()) < cacheKeep {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}

// CacheEntries lists the keys cached in dir, sorted.
func CacheEntries(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var keys []string
	for _, e := range entries {
		if name := e.Name(); filepath.Ext(name) == ".json" && e.Type().IsRegular() {
			keys = append(keys, name[:len(name)-len(".json")])
		}
	}
	slices.Sort(keys)
	return keys
}
