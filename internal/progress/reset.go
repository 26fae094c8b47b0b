package progress

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// gitLimit bounds one git command of reset.
const gitLimit = 30 * time.Second

// Now is the clock reset stamps the names of older saved copies with.
var Now = time.Now

// startingCode returns the shipped starting code of the file at rel (slash-separated,
// relative to root), from git history, and the commit it was found in.
//
// The starting code is the content whose digest testdata/workbook/starting.sum records
// for rel: reset walks the commits that touched the file, newest first, and takes the
// first version with that digest. This is exact whatever the history holds: the
// workbook's own work in progress before the release, a learner's commits after it, or a
// copy made from a template with a single squashed commit. The digest, not the version of
// a particular commit, is the definition of "as shipped".
//
// Without the checksum file (a copy older than it), reset takes the file as first added
// to the repository (`git log --diff-filter=A`, oldest): in a learner's copy, which
// starts from the shipped workbook, that is the starting code, and no later commit, the
// learner's or anybody's, can change it. It says so, since in the workbook's own history
// the first version may be an early draft.
func startingCode(ctx context.Context, root, rel string) (content []byte, commit, how string, err error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, "", "", errors.New("reset finds the starting code in git history, and git is not installed: install git (https://git-scm.com/downloads), or copy the file from a fresh copy of the workbook")
	}
	if _, err := gitOutput(ctx, root, "rev-parse", "--git-dir"); err != nil {
		return nil, "", "", fmt.Errorf("reset finds the starting code in git history, and %s is not in a git repository: clone the workbook with git, or copy the file from a fresh copy", root)
	}
	_, statErr := os.Lstat(filepath.Join(root, filepath.FromSlash(StartingSums)))
	if statErr == nil {
		want, ok := StartingSum(root, rel)
		if !ok {
			return nil, "", "", fmt.Errorf("%s records no digest for %s", StartingSums, rel)
		}
		log, err := gitOutput(ctx, root, "log", "--format=%H", "--", rel)
		if err != nil {
			return nil, "", "", err
		}
		for _, c := range strings.Fields(log) {
			b, err := gitBlob(ctx, root, c, rel)
			if err != nil {
				continue // deleted in this commit
			}
			if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) == want {
				return b, c, "the version " + StartingSums + " records", nil
			}
		}
		return nil, "", "", fmt.Errorf("no commit holds the starting code of %s (sha256 %s): fetch the workbook's full history (git fetch --unshallow), or copy the file from a fresh copy", rel, want[:12])
	}
	if !errors.Is(statErr, os.ErrNotExist) {
		return nil, "", "", statErr
	}
	log, err := gitOutput(ctx, root, "log", "--diff-filter=A", "--format=%H", "--", rel)
	if err != nil {
		return nil, "", "", err
	}
	added := strings.Fields(log)
	if len(added) == 0 {
		return nil, "", "", fmt.Errorf("git history has no commit that added %s: it was never committed", rel)
	}
	c := added[len(added)-1]
	b, err := gitBlob(ctx, root, c, rel)
	if err != nil {
		return nil, "", "", err
	}
	return b, c, "the file as first committed (there is no " + StartingSums + ")", nil
}

// gitOutput runs git in root, bounded by gitLimit, and returns its standard output.
func gitOutput(ctx context.Context, root string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, gitLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// gitBlob returns the content of rel at commit, as committed (no line-ending conversion).
func gitBlob(ctx context.Context, root, commit, rel string) ([]byte, error) {
	out, err := gitOutput(ctx, root, "cat-file", "blob", commit+":"+rel)
	return []byte(out), err
}

// saveMine copies the learner's version of a file beside it: file.mine, or, if that is
// taken, file.YYYYMMDD-HHMM.mine (with -2, -3, ... if even that is taken). It returns the
// name of the copy.
func saveMine(file string, content []byte) (string, error) {
	candidates := []string{file + ".mine"}
	stamp := Now().Format("20060102-1504")
	candidates = append(candidates, file+"."+stamp+".mine")
	for i := 2; i < 100; i++ {
		candidates = append(candidates, fmt.Sprintf("%s.%s-%d.mine", file, stamp, i))
	}
	for _, c := range candidates {
		f, err := os.OpenFile(c, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, err = f.Write(content)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(c)
			return "", err
		}
		return c, nil
	}
	return "", fmt.Errorf("too many saved copies of %s: clean up the .mine files", file)
}

// Reset restores the starting code of an exercise's files (the manifest's files),
// saving the learner's version of each one that differs beside it first. It finds every
// file's starting code before it changes anything.
func Reset(ctx context.Context, w io.Writer, root string, e *manifest.Exercise) error {
	type plan struct {
		rel, how, commit string
		start            []byte
	}
	var plans []plan
	for _, f := range e.Files {
		rel := path.Join("exercises", e.Chapter.ID, f)
		b, commit, how, err := startingCode(ctx, root, rel)
		if err != nil {
			return fmt.Errorf("nothing changed: %w", err)
		}
		plans = append(plans, plan{rel, how, commit, b})
	}
	fmt.Fprintf(w, "reset %s:\n", e.ID())
	for _, p := range plans {
		file := filepath.Join(root, filepath.FromSlash(p.rel))
		mine, err := os.ReadFile(file)
		switch {
		case err == nil && bytes.Equal(mine, p.start):
			fmt.Fprintf(w, "  %s is already the starting code: left as it is\n", p.rel)
			continue
		case err == nil:
			saved, err := saveMine(file, mine)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  %s: your version saved as %s\n", p.rel, filepath.Base(saved))
		case errors.Is(err, os.ErrNotExist):
			fmt.Fprintf(w, "  %s was missing\n", p.rel)
		default:
			return err
		}
		if err := os.WriteFile(file, p.start, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s: starting code restored (%s, commit %.12s)\n", p.rel, p.how, p.commit)
		for _, other := range e.Chapter.Exercises {
			if other != e && slices.Contains(other.Files, path.Base(p.rel)) {
				fmt.Fprintf(w, "    note: %s belongs to %s too\n", path.Base(p.rel), other.ID())
			}
		}
	}
	return nil
}
