package check

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/explain"
	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// crossOS are the systems the workbook promises besides the one make check runs on:
// every package and every test binary must build for each.
var crossOS = []string{"windows", "darwin"}

// platforms checks what a learner on another system gets: every package vets and every
// test binary builds for Windows and macOS (amd64 and arm64 are the same code), and a
// clone made the way Git for Windows makes one (core.autocrlf=true) is the workbook as
// shipped, byte for byte: every exercise "to do", and the checksums grade trusts hold.
func (c *checker) platforms(ctx context.Context) {
	for _, goos := range crossOS {
		env := append(runner.Env(false), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0")
		start := time.Now()
		out, err := runner.Go(ctx, c.Root, env, 5*time.Minute, "vet", "./...")
		c.record(fmt.Sprintf("GOOS=%s go vet ./... (%.0fs)", goos, time.Since(start).Seconds()), err == nil, excerpt(out, 30))
		start = time.Now()
		var problems []string
		for _, tree := range []string{layout.Exercises, layout.Solutions, "internal", "cmd"} {
			if _, err := os.Stat(filepath.Join(c.Root, tree)); err != nil {
				continue
			}
			dir := filepath.Join(c.tmp, "cross", goos, tree)
			if out, err := runner.Go(ctx, c.Root, env, 5*time.Minute, "test", "-c", "-trimpath", "-ldflags=-s -w", "-o", dir+string(filepath.Separator), "./"+tree+"/..."); err != nil {
				problems = append(problems, excerpt(out, 20))
			}
			_ = os.RemoveAll(dir) // hundreds of MiB that nobody runs here
		}
		c.record(fmt.Sprintf("GOOS=%s go test -c of every package (exercises, solutions, internal, cmd) (%.0fs)", goos, time.Since(start).Seconds()),
			len(problems) == 0, strings.Join(problems, "\n"))
	}
	c.autocrlf(ctx)
}

// autocrlf clones the workbook with core.autocrlf=true, the default of Git for Windows,
// and runs the tool in the clone as a learner would.
func (c *checker) autocrlf(ctx context.Context) {
	const name = "a clone with core.autocrlf=true: LF everywhere, every exercise to do, reset works, workbook.sum holds"
	if _, err := exec.LookPath("git"); err != nil {
		c.skip(name, "git is not installed")
		return
	}
	files, err := runner.Command(ctx, c.Root, nil, time.Minute, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if err != nil {
		c.skip(name, "not a git checkout (a downloaded copy): "+explain.FirstLine(files, 0))
		return
	}
	start := time.Now()
	_, why := c.crlfClone(ctx, strings.Split(strings.TrimRight(files, "\x00"), "\x00"))
	c.record(fmt.Sprintf("%s (%.0fs)", name, time.Since(start).Seconds()), why == "", "    "+why)
}

// crlfClone copies the files of the working tree into a new repository, commits them
// and clones that with core.autocrlf=true, then checks the clone: no CRLF in a text
// file, and the tool, run in the clone, says what a learner on Windows must see. It
// returns the clone and what is wrong, if anything.
func (c *checker) crlfClone(ctx context.Context, files []string) (clone, why string) {
	src := filepath.Join(c.tmp, "crlf-src")
	clone = filepath.Join(c.tmp, "crlf-clone")
	for _, f := range files {
		if f == "" {
			continue
		}
		if err := copyFile(filepath.Join(c.Root, f), filepath.Join(src, f)); err != nil {
			if os.IsNotExist(err) {
				continue // deleted in the working tree, not yet in git
			}
			return "", err.Error()
		}
	}
	// Steps 7 and 8 say whether the checksum files are current; this step is about line
	// endings, so the copy gets current ones.
	tool := filepath.Join(c.tmp, layout.Binary("workbook"))
	if out, err := runner.Go(ctx, c.Root, nil, 5*time.Minute, "build", "-trimpath", "-o", tool, "./cmd/workbook"); err != nil {
		return "", "cannot build the tool: " + excerpt(out, 10)
	}
	for _, cmd := range []string{"starting-sums", "sums"} {
		if out, err := runner.Command(ctx, src, nil, time.Minute, tool, "dev", cmd, "-w"); err != nil {
			return "", fmt.Sprintf("dev %s -w in the copy: %v\n%s", cmd, err, excerpt(out, 10))
		}
	}
	git := func(dir string, args ...string) error {
		out, err := runner.Command(ctx, dir, nil, 2*time.Minute, "git", args...)
		if err != nil {
			return fmt.Errorf("git %s: %v\n%s", strings.Join(args, " "), err, excerpt(out, 10))
		}
		return nil
	}
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "-A"},
		{"-c", "user.name=workbook", "-c", "user.email=workbook@localhost", "-c", "commit.gpgsign=false",
			"commit", "-q", "-m", "the working tree"},
	} {
		if err := git(src, args...); err != nil {
			return "", err.Error()
		}
	}
	if err := git(c.tmp, "clone", "-q", "-c", "core.autocrlf=true", src, clone); err != nil {
		return "", err.Error()
	}
	if crlf := crlfFiles(clone, files); len(crlf) > 0 {
		return clone, fmt.Sprintf("%d files were checked out with CRLF line endings (no .gitattributes with eol=lf?), like %s",
			len(crlf), strings.Join(crlf[:min(3, len(crlf))], ", "))
	}
	env := append(runner.Env(false), "WORKBOOK_LANG=en") // the checks read the English output
	status, _ := runner.Command(ctx, clone, env, time.Minute, tool, "status")
	if bad := notToDo(status); len(bad) > 0 {
		return clone, fmt.Sprintf("`workbook status` in the clone: %d exercises are not \"to do\":\n%s", len(bad),
			excerpt(strings.Join(bad, "\n"), 10))
	}
	first := c.m.Exercises()[0]
	out, err := runner.Command(ctx, clone, env, 5*time.Minute, tool, "run", first.ID())
	if err != nil || !strings.Contains(out, "FAIL") {
		return clone, fmt.Sprintf("`workbook run %s` in the clone: %v\n%s", first.ID(), err, excerpt(out, 20))
	}
	file := filepath.Join(clone, layout.Exercises, first.Chapter.ID, first.Files[0])
	if err := os.WriteFile(file, []byte("package mine\n"), 0o644); err != nil {
		return clone, err.Error()
	}
	if out, err := runner.Command(ctx, clone, env, time.Minute, tool, "reset", first.ID()); err != nil {
		return clone, fmt.Sprintf("`workbook reset %s` in the clone: %v\n%s", first.ID(), err, excerpt(out, 20))
	}
	status, _ = runner.Command(ctx, clone, env, time.Minute, tool, "status")
	if bad := notToDo(status); len(bad) > 0 {
		return clone, fmt.Sprintf("after `workbook reset %s` in the clone, not \"to do\": %s", first.ID(), strings.Join(bad, "; "))
	}
	// What grade trusts is workbook.sum: it holds in the clone, so grade there grades what
	// it grades here (that it passes every solution is TestGradeWholeWorkbook's).
	if out, err := runner.Command(ctx, clone, env, time.Minute, tool, "dev", "sums"); err != nil {
		return clone, "`workbook dev sums` in the clone: the clone's files are not those workbook.sum records:\n" + excerpt(out, 20)
	}
	return clone, ""
}

// statusLine is an exercise's line in `workbook status`: its state, then its name.
var statusLine = regexp.MustCompile(`^  (to do|changed|done|failing|[a-z ]+?)\s{2,}(\S+)\s`)

// notToDo returns the exercise lines of a status output that do not say "to do".
func notToDo(status string) []string {
	var bad []string
	n := 0
	for _, l := range strings.Split(status, "\n") {
		m := statusLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		n++
		if m[1] != "to do" {
			bad = append(bad, strings.TrimSpace(l))
		}
	}
	if n == 0 {
		return []string{"no exercise line in:\n" + status}
	}
	return bad
}

// crlfFiles returns the files of the clone that hold a CRLF line ending.
func crlfFiles(clone string, files []string) []string {
	var crlf []string
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(clone, f))
		if err == nil && bytes.Contains(b, []byte("\r\n")) {
			crlf = append(crlf, f)
		}
	}
	return crlf
}

// copyFile copies a regular file, making its directory; it keeps the executable bit.
func copyFile(from, to string) error {
	info, err := os.Lstat(from)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
