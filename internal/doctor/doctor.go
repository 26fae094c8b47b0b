// Package doctor checks what the workbook needs from the machine (Go, cgo and a C
// compiler, the race detector, cores, the module cache) and says how to fix what is
// missing.
package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/version"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// doctorLimit bounds each command doctor runs; building a -race program for the first
// time compiles the race runtime, which takes a while on a cold cache.
const doctorLimit = 2 * time.Minute

// finding is one line of the doctor's report: a check, and the fix when it failed.
type finding struct {
	ok     bool
	note   bool // a warning: worth knowing, but nothing fails because of it
	what   string
	fix    string
	detail string
}

// doctor checks what the workbook needs from the machine. Its commands run through
// goCmd, so that tests can give it a fake toolchain.
type doctor struct {
	root  string
	goCmd func(ctx context.Context, dir string, env []string, args ...string) (string, error)
}

// realGo runs the go command in dir with env added to the tool's environment, bounded.
func realGo(ctx context.Context, dir string, env []string, args ...string) (string, error) {
	out, err := runner.Go(ctx, dir, append(runner.Env(false), env...), doctorLimit, args...)
	if ctx.Err() == nil && err != nil && strings.Contains(err.Error(), "stopped after") {
		err = fmt.Errorf("gave no answer within %s", doctorLimit)
	}
	return out, err
}

var goVersionRe = regexp.MustCompile(`^go\d+(?:\.\d+)*`)

func (d *doctor) goVersion(ctx context.Context) finding {
	out, err := d.goCmd(ctx, d.root, nil, "mod", "edit", "-json")
	var mod struct{ Go string }
	if err != nil || json.Unmarshal([]byte(out), &mod) != nil {
		return finding{what: "go.mod cannot be read (go mod edit -json)", detail: out,
			fix: "run this inside the workbook's directory, and restore go.mod from git if it was changed: git checkout go.mod"}
	}
	if mod.Go == "" {
		return finding{what: "go.mod has no go line", fix: "restore go.mod from git: git checkout go.mod"}
	}
	want := mod.Go
	out, err = d.goCmd(ctx, d.root, nil, "env", "GOVERSION")
	if err != nil {
		return finding{what: "the go command does not run", detail: out,
			fix: "install Go " + want + " or newer from https://go.dev/dl/ and put its bin directory on your PATH"}
	}
	have := strings.TrimSpace(out)
	v := goVersionRe.FindString(have)
	if v == "" || version.Compare(v, "go"+want) < 0 {
		return finding{what: fmt.Sprintf("Go %s, and go.mod asks for go %s", have, want),
			fix: "install Go " + want + " or newer from https://go.dev/dl/ (or let go fetch it: unset GOTOOLCHAIN, or set GOTOOLCHAIN=auto)"}
	}
	return finding{ok: true, what: fmt.Sprintf("Go %s (go.mod asks for go %s or newer)", have, want)}
}

// compilerFix says how to get a C compiler on this system.
func compilerFix() string {
	switch runtime.GOOS {
	case "darwin":
		return "install the command line tools: xcode-select --install"
	case "windows":
		return "install gcc (MinGW-w64, e.g. from https://www.msys2.org: pacman -S mingw-w64-ucrt-x86_64-gcc) and add its bin directory to PATH"
	default:
		return "install gcc: sudo apt install gcc (Debian, Ubuntu), sudo dnf install gcc (Fedora), apk add gcc musl-dev (Alpine)"
	}
}

func (d *doctor) cgo(ctx context.Context) finding {
	out, err := d.goCmd(ctx, d.root, nil, "env", "CGO_ENABLED", "CC")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 2 {
		return finding{what: "go env CGO_ENABLED CC failed", detail: out, fix: "check that go runs: go version"}
	}
	enabled, cc := strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1])
	ccPath := ""
	if f := strings.Fields(cc); len(f) > 0 {
		ccPath, _ = exec.LookPath(f[0])
	}
	switch {
	case enabled != "1" && ccPath == "":
		return finding{what: fmt.Sprintf("cgo is off (CGO_ENABLED=%q) and there is no C compiler (CC=%q): the race detector needs both", enabled, cc),
			fix: compilerFix() + "; then go env -w CGO_ENABLED=1"}
	case enabled != "1":
		return finding{what: fmt.Sprintf("cgo is off (CGO_ENABLED=%q): the race detector needs it", enabled),
			fix: "go env -w CGO_ENABLED=1 (and unset CGO_ENABLED in your shell if it is set there)"}
	case ccPath == "":
		return finding{what: fmt.Sprintf("no C compiler %q on PATH: the race detector needs one", cc), fix: compilerFix()}
	}
	return finding{ok: true, what: fmt.Sprintf("cgo enabled, C compiler %s (%s)", cc, ccPath)}
}

const raceProgram = `package main

import (
	"fmt"
	"sync"
)

func main() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	n := 0
	for range 2 {
		wg.Go(func() {
			mu.Lock()
			n++
			mu.Unlock()
		})
	}
	wg.Wait()
	fmt.Println("race detector ok", n)
}
`

// race builds and runs a tiny program with -race in a module of its own.
func (d *doctor) race(ctx context.Context) finding {
	dir, err := os.MkdirTemp("", "workbook-doctor-")
	if err != nil {
		return finding{what: "a temporary directory", detail: err.Error(), fix: "free some disk space, or set TMPDIR to a writable directory"}
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module racecheck\n\ngo 1.26\n"), 0o644); err != nil {
		return finding{what: "a temporary directory", detail: err.Error(), fix: "free some disk space, or set TMPDIR to a writable directory"}
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(raceProgram), 0o644); err != nil {
		return finding{what: "a temporary directory", detail: err.Error(), fix: "free some disk space, or set TMPDIR to a writable directory"}
	}
	start := time.Now()
	out, err := d.goCmd(ctx, dir, []string{"GOWORK=off", "GOFLAGS=", "GORACE=atexit_sleep_ms=0"}, "run", "-race", ".")
	if err != nil || !strings.Contains(out, "race detector ok") {
		fix := compilerFix() + "; the race detector runs on linux, darwin, windows and freebsd on amd64 and arm64 (see https://go.dev/doc/articles/race_detector#Requirements)"
		return finding{what: "go run -race of a tiny program failed", detail: strings.TrimSpace(out), fix: fix}
	}
	return finding{ok: true, what: fmt.Sprintf("the race detector builds and runs a program (%.1fs)", time.Since(start).Seconds())}
}

func (d *doctor) cores() finding {
	cores, procs := runtime.NumCPU(), runtime.GOMAXPROCS(0)
	f := finding{ok: true, what: fmt.Sprintf("%d cores, GOMAXPROCS %d", cores, procs)}
	switch {
	case cores < 2:
		f.note = true
		f.what += ": the tests work on one core, but the benchmarks' concurrent-against-serial targets need two"
		f.fix = "use a machine (or a container, or a Codespace) with at least 2 cores for `workbook bench`"
	case procs < cores && os.Getenv("GOMAXPROCS") != "":
		f.note = true
		f.what += fmt.Sprintf(": GOMAXPROCS=%s in your environment leaves cores idle", os.Getenv("GOMAXPROCS"))
		f.fix = "unset GOMAXPROCS"
	case procs < 2:
		f.note = true
		f.what += ": the container's CPU limit leaves one core to Go; the benchmarks' targets need two"
		f.fix = "raise the container's CPU limit to 2 or more"
	}
	return f
}

// moduleInfo is the part of `go mod download -json` doctor reads.
type moduleInfo struct {
	Path, Version, Dir, Error string
}

// modules checks that every module of go.sum's build list is in the module cache,
// without the network (GOPROXY=off).
func (d *doctor) modules(ctx context.Context) finding {
	cache, _ := d.goCmd(ctx, d.root, nil, "env", "GOMODCACHE")
	cache = strings.TrimSpace(cache)
	out, err := d.goCmd(ctx, d.root, []string{"GOFLAGS=-mod=mod", "GOPROXY=off"}, "mod", "download", "-json")
	mods, problems := parseModDownload(out)
	fix := "run `go mod download` where the network reaches the module proxy (proxy.golang.org, or your GOPROXY)"
	if len(problems) > 0 {
		return finding{what: fmt.Sprintf("%d of the %d pinned modules are not in the module cache %s", len(problems), len(mods), cache),
			detail: strings.Join(problems, "\n"), fix: fix}
	}
	if err != nil {
		return finding{what: "go mod download -json (offline) failed", detail: strings.TrimSpace(out), fix: fix}
	}
	return finding{ok: true, what: fmt.Sprintf("module cache %s holds the %d pinned modules", cache, len(mods))}
}

// parseModDownload reads the JSON objects `go mod download -json` prints, one a module,
// and returns them with a line for each module that could not be had.
func parseModDownload(out string) ([]moduleInfo, []string) {
	var mods []moduleInfo
	var problems []string
	dec := json.NewDecoder(strings.NewReader(out))
	for {
		var m moduleInfo
		if err := dec.Decode(&m); err != nil {
			if !errors.Is(err, io.EOF) {
				problems = append(problems, "unreadable output: "+strings.TrimSpace(out))
			}
			break
		}
		mods = append(mods, m)
		if m.Error != "" || m.Dir == "" {
			problems = append(problems, fmt.Sprintf("%s@%s: %s", m.Path, m.Version, strings.TrimSpace(m.Error)))
		}
	}
	return mods, problems
}

// printFindings prints the findings and returns whether none of them is a problem.
func printFindings(w io.Writer, findings []finding) bool {
	ok := true
	for _, f := range findings {
		mark := "ok  "
		switch {
		case !f.ok:
			mark, ok = "FAIL", false
		case f.note:
			mark = "note"
		}
		fmt.Fprintf(w, "  %s  %s\n", mark, f.what)
		if f.detail != "" && !f.ok {
			fmt.Fprintln(w, excerpt(f.detail, 10))
		}
		if f.fix != "" {
			fmt.Fprintf(w, "        fix: %s\n", f.fix)
		}
	}
	return ok
}

// Run runs every check for the workbook at root, prints the findings to w, and reports
// whether there was no problem.
func Run(ctx context.Context, w io.Writer, root string) bool {
	d := &doctor{root: root, goCmd: realGo}
	fmt.Fprintf(w, "workbook doctor (%s/%s)\n", runtime.GOOS, runtime.GOARCH)
	findings := []finding{d.goVersion(ctx), d.cgo(ctx), d.race(ctx), d.cores(), d.modules(ctx)}
	if !printFindings(w, findings) {
		fmt.Fprintln(w, "Fix the problems above, then run `go run ./cmd/workbook doctor` again.")
		return false
	}
	fmt.Fprintln(w, "No problems found.")
	return true
}

// excerpt returns the last lines of out, at most n of them, indented.
func excerpt(out string, n int) string { return runner.Excerpt(out, n, "      ") }
