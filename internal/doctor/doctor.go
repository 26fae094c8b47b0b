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

	"github.com/go-concurrency-workbook/workbook/internal/i18n"
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
	l     i18n.Lang // the language of the report
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
		return finding{what: d.l.T("doctor.gomod_unreadable"), detail: out, fix: d.l.T("doctor.gomod_unreadable_fix")}
	}
	if mod.Go == "" {
		return finding{what: d.l.T("doctor.gomod_no_go"), fix: d.l.T("doctor.gomod_restore")}
	}
	want := mod.Go
	out, err = d.goCmd(ctx, d.root, nil, "env", "GOVERSION")
	if err != nil {
		return finding{what: d.l.T("doctor.go_does_not_run"), detail: out, fix: d.l.T("doctor.go_install", want)}
	}
	have := strings.TrimSpace(out)
	v := goVersionRe.FindString(have)
	if v == "" || version.Compare(v, "go"+want) < 0 {
		return finding{what: d.l.T("doctor.go_old", have, want), fix: d.l.T("doctor.go_old_fix", want)}
	}
	return finding{ok: true, what: d.l.T("doctor.go_ok", have, want)}
}

// compilerFix says how to get a C compiler on this system.
func (d *doctor) compilerFix() string {
	switch runtime.GOOS {
	case "darwin":
		return d.l.T("doctor.cc_darwin")
	case "windows":
		return d.l.T("doctor.cc_windows")
	default:
		return d.l.T("doctor.cc_linux")
	}
}

func (d *doctor) cgo(ctx context.Context) finding {
	out, err := d.goCmd(ctx, d.root, nil, "env", "CGO_ENABLED", "CC")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 2 {
		return finding{what: d.l.T("doctor.goenv_failed"), detail: out, fix: d.l.T("doctor.goenv_failed_fix")}
	}
	enabled, cc := strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1])
	ccPath := ""
	if f := strings.Fields(cc); len(f) > 0 {
		ccPath, _ = exec.LookPath(f[0])
	}
	switch {
	case enabled != "1" && ccPath == "":
		return finding{what: d.l.T("doctor.cgo_off_no_cc", enabled, cc), fix: d.l.T("doctor.then_cgo", d.compilerFix())}
	case enabled != "1":
		return finding{what: d.l.T("doctor.cgo_off", enabled), fix: d.l.T("doctor.cgo_off_fix")}
	case ccPath == "":
		return finding{what: d.l.T("doctor.no_cc", cc), fix: d.compilerFix()}
	}
	return finding{ok: true, what: d.l.T("doctor.cgo_ok", cc, ccPath)}
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
		return finding{what: d.l.T("doctor.tmp"), detail: err.Error(), fix: d.l.T("doctor.tmp_fix")}
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module racecheck\n\ngo 1.26\n"), 0o644); err != nil {
		return finding{what: d.l.T("doctor.tmp"), detail: err.Error(), fix: d.l.T("doctor.tmp_fix")}
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(raceProgram), 0o644); err != nil {
		return finding{what: d.l.T("doctor.tmp"), detail: err.Error(), fix: d.l.T("doctor.tmp_fix")}
	}
	start := time.Now()
	out, err := d.goCmd(ctx, dir, []string{"GOWORK=off", "GOFLAGS=", "GORACE=atexit_sleep_ms=0"}, "run", "-race", ".")
	if err != nil || !strings.Contains(out, "race detector ok") {
		return finding{what: d.l.T("doctor.race_failed"), detail: strings.TrimSpace(out), fix: d.l.T("doctor.race_fix", d.compilerFix())}
	}
	return finding{ok: true, what: d.l.T("doctor.race_ok", time.Since(start).Seconds())}
}

func (d *doctor) cores() finding {
	cores, procs := runtime.NumCPU(), runtime.GOMAXPROCS(0)
	f := finding{ok: true, what: d.l.T("doctor.cores", cores, procs)}
	switch {
	case cores < 2:
		f.note = true
		f.what = d.l.T("doctor.cores_one", cores, procs)
		f.fix = d.l.T("doctor.cores_one_fix")
	case procs < cores && os.Getenv("GOMAXPROCS") != "":
		f.note = true
		f.what = d.l.T("doctor.cores_gomaxprocs", cores, procs, os.Getenv("GOMAXPROCS"))
		f.fix = d.l.T("doctor.cores_gomaxprocs_fix")
	case procs < 2:
		f.note = true
		f.what = d.l.T("doctor.cores_limit", cores, procs)
		f.fix = d.l.T("doctor.cores_limit_fix")
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
	fix := d.l.T("doctor.mods_fix")
	if len(problems) > 0 {
		return finding{what: d.l.T("doctor.mods_missing", len(problems), len(mods), cache), detail: strings.Join(problems, "\n"), fix: fix}
	}
	if err != nil {
		return finding{what: d.l.T("doctor.mods_failed"), detail: strings.TrimSpace(out), fix: fix}
	}
	return finding{ok: true, what: d.l.T("doctor.mods_ok", cache, len(mods))}
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
func printFindings(w io.Writer, l i18n.Lang, findings []finding) bool {
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
			fmt.Fprintln(w, l.T("doctor.fix", f.fix))
		}
	}
	return ok
}

// Run runs every check for the workbook at root, prints the findings to w, and reports
// whether there was no problem.
func Run(ctx context.Context, w io.Writer, root string, l i18n.Lang) bool {
	d := &doctor{root: root, goCmd: realGo, l: l}
	fmt.Fprintf(w, "workbook doctor (%s/%s)\n", runtime.GOOS, runtime.GOARCH)
	findings := []finding{d.goVersion(ctx), d.cgo(ctx), d.race(ctx), d.cores(), d.modules(ctx)}
	if !printFindings(w, l, findings) {
		fmt.Fprintln(w, l.T("doctor.fix_above"))
		return false
	}
	fmt.Fprintln(w, l.T("doctor.no_problems"))
	return true
}

// excerpt returns the last lines of out, at most n of them, indented.
func excerpt(out string, n int) string { return runner.Excerpt(out, n, "      ") }
