package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

// testLimit bounds one test process of an exercise or a mutant (DESIGN.md: each
// exercise fails within 60 s as shipped).
const testLimit = 60 * time.Second

// checker runs the checks of `make check` and counts them.
type checker struct {
	root string
	m    *manifest.Manifest
	tmp  string
	jobs int

	mu             sync.Mutex
	passed, failed int
}

// check records one check's outcome and prints it; detail explains a failure.
func (c *checker) check(name string, ok bool, detail string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok {
		c.passed++
		fmt.Printf("  ok    %s\n", name)
		return
	}
	c.failed++
	fmt.Printf("  FAIL  %s\n", name)
	if detail != "" {
		fmt.Println(detail)
	}
}

func cmdVerify(root string, args []string) int {
	m, err := manifest.Load(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook verify:", err)
		fmt.Println("0 passed, 1 failed")
		return 1
	}
	tmp, err := os.MkdirTemp("", "workbook-verify-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook verify:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	c := &checker{root: root, m: m, tmp: tmp, jobs: runtime.GOMAXPROCS(0)}
	ctx := context.Background()
	start := time.Now()
	steps := []struct {
		title string
		run   func(context.Context)
	}{
		{"1. gofmt, go vet, go mod tidy", c.static},
		{"2. exercises/ and solutions/ are twins", c.twins},
		{"3. solutions and test support pass under -race; benchmarks run", c.solutions},
		{"4. every exercise fails each of its tests as shipped, alone, within its limit", c.exercises},
		{"5. every mutant is caught by the tests it names", c.mutants},
		{"6. manifest, guides and README agree with the code", c.docs},
		{"7. " + startingSumsFile + " is current (status -write-starting-sums)", c.startingSums},
		{"8. workbook.sum is current (go run ./cmd/workbook sums -w)", c.sums},
	}
	for _, s := range steps {
		t := time.Now()
		fmt.Println(s.title)
		s.run(ctx)
		fmt.Printf("  (%.0fs)\n", time.Since(t).Seconds())
	}
	fmt.Printf("verify took %.0fs\n", time.Since(start).Seconds())
	fmt.Printf("%d passed, %d failed\n", c.passed, c.failed)
	if c.failed > 0 {
		return 1
	}
	return 0
}

// goCmd runs the go command in the repository and returns its combined output.
func (c *checker) goCmd(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = c.root
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (c *checker) static(ctx context.Context) {
	cmd := exec.CommandContext(ctx, "gofmt", "-l", ".")
	cmd.Dir = c.root
	out, err := cmd.CombinedOutput()
	c.check("gofmt -l . (mutants included)", err == nil && len(bytes.TrimSpace(out)) == 0,
		"    gofmt would change:\n"+excerpt(string(out), 20))
	vet, err := c.goCmd(ctx, "vet", "./...")
	c.check("go vet ./...", err == nil, excerpt(vet, 30))
	tidy, err := c.goCmd(ctx, "mod", "tidy", "-diff")
	c.check("go mod tidy leaves go.mod and go.sum as they are", err == nil, excerpt(tidy, 30))
}

// files lists the regular files directly in dir, by name.
func files(dir string) map[string]bool {
	set := map[string]bool{}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Type().IsRegular() {
			set[e.Name()] = true
		}
	}
	return set
}

func (c *checker) twins(ctx context.Context) {
	for _, tree := range []string{"exercises", "solutions"} {
		entries, err := os.ReadDir(filepath.Join(c.root, tree))
		var extra []string
		for _, e := range entries {
			if e.IsDir() && !slices.ContainsFunc(c.m.Chapters, func(ch *manifest.Chapter) bool { return ch.ID == e.Name() }) {
				extra = append(extra, e.Name())
			}
		}
		c.check(tree+"/ holds exactly the manifest's chapters", err == nil && len(extra) == 0,
			fmt.Sprintf("    not in %s: %v %v", manifest.File, extra, err))
	}
	for _, ch := range c.m.Chapters {
		ex, sol := filepath.Join(c.root, "exercises", ch.ID), filepath.Join(c.root, "solutions", ch.ID)
		exFiles, solFiles := files(ex), files(sol)
		var problems []string
		for _, name := range union(exFiles, solFiles) {
			if !exFiles[name] || !solFiles[name] {
				problems = append(problems, name+" is in only one of the two trees")
				continue
			}
			if strings.HasSuffix(name, "_test.go") || name == "README.md" {
				a, _ := os.ReadFile(filepath.Join(ex, name))
				b, _ := os.ReadFile(filepath.Join(sol, name))
				if !bytes.Equal(a, b) {
					problems = append(problems, name+" differs")
				}
			}
		}
		for _, e := range ch.Exercises {
			for _, f := range e.Files {
				if !exFiles[f] {
					problems = append(problems, fmt.Sprintf("%s names %s, which does not exist", e.ID(), f))
				}
			}
		}
		c.check(ch.ID+": tests and guide byte-identical, same files in both trees", len(problems) == 0,
			"    "+strings.Join(problems, "\n    "))
	}
}

var goTestLine = regexp.MustCompile(`(?m)^(ok|FAIL|---|\?)\s+(\S+)`)

func (c *checker) solutions(ctx context.Context) {
	out, _ := c.goCmd(ctx, "test", "-race", "-count=1", "-timeout=5m", "./solutions/...", "./internal/...", "./cmd/...")
	c.packageLines(out, "go test -race ")
	out, _ = c.goCmd(ctx, "test", "-run=^$", "-bench=.", "-benchtime=1x", "./solutions/...")
	c.packageLines(out, "benchmarks run (-benchtime=1x) ")
}

// packageLines records one check a package from go test's summary lines.
func (c *checker) packageLines(out, prefix string) {
	seen := 0
	for _, m := range goTestLine.FindAllStringSubmatch(out, -1) {
		switch m[1] {
		case "ok":
			seen++
			c.check(prefix+m[2], true, "")
		case "FAIL":
			if m[2] == "" || strings.HasPrefix(m[2], "[") {
				continue
			}
			seen++
			c.check(prefix+m[2], false, excerpt(out, 60))
		}
	}
	if seen == 0 {
		c.check(prefix+"(no package ran)", false, excerpt(out, 40))
	}
}

// binary builds the race-enabled test binary of a chapter tree, reporting a build failure.
func (c *checker) binary(ctx context.Context, name, dir string, overlay map[string]string) (string, bool) {
	bin := filepath.Join(c.tmp, strings.NewReplacer("/", "_", " ", "_").Replace(name)+".test")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if err := buildTest(ctx, c.root, dir, bin, true, overlay); err != nil {
		c.check(name+" builds", false, excerpt(err.Error(), 30))
		return "", false
	}
	return bin, true
}

// listTests returns the tests and examples in a test binary.
func listTests(ctx context.Context, bin, dir string) ([]string, error) {
	cmd := exec.CommandContext(ctx, bin, "-test.list=.")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, l := range strings.Fields(string(out)) {
		if strings.HasPrefix(l, "Test") || strings.HasPrefix(l, "Example") {
			names = append(names, l)
		}
	}
	sort.Strings(names)
	return names, nil
}

func (c *checker) exercises(ctx context.Context) {
	var jobs []func()
	for _, ch := range c.m.Chapters {
		dir := filepath.Join("exercises", ch.ID)
		bin, ok := c.binary(ctx, dir, dir, nil)
		if !ok {
			continue
		}
		abs := filepath.Join(c.root, dir)
		var want []string
		for _, e := range ch.Exercises {
			want = append(want, e.Tests...)
		}
		sort.Strings(want)
		got, err := listTests(ctx, bin, abs)
		c.check(ch.ID+": the manifest lists every test of the package, each once",
			err == nil && slices.Equal(want, got),
			fmt.Sprintf("    manifest: %v\n    package:  %v %v", want, got, err))
		for _, e := range ch.Exercises {
			for _, test := range e.Tests {
				jobs = append(jobs, func() {
					r := runTest(ctx, bin, abs, "^"+test+"$", testLimit)
					name := fmt.Sprintf("%s: %s fails as shipped (%.1fs)", e.ID(), test, r.Elapsed.Seconds())
					switch {
					case r.TimedOut:
						c.check(name, false, "    it ran into the time limit: a test must catch the starting code, not hang on it\n"+excerpt(r.Output, 30))
					case r.Passed[test]:
						c.check(name, false, "    it PASSES on the starting code: the test cannot tell the exercise is undone")
					case !r.Failed[test]:
						c.check(name, false, "    no `--- FAIL` line: the test binary crashed instead of failing the test\n"+excerpt(r.Output, 30))
					default:
						c.check(name, true, "")
					}
				})
			}
		}
	}
	parallel(c.jobs, jobs)
}

// mutant is one classic wrong answer: files that replace a solution's.
type mutant struct {
	chapter  *manifest.Chapter
	name     string
	dir      string            // testdata/mutants/NN_topic/NAME
	overlay  map[string]string // solution file → mutant file, absolute
	bug      string
	caughtBy []string
}

var mutantHeader = regexp.MustCompile(`^// mutant: (.+); caught by ((?:Test|Example)\w+(?:, (?:Test|Example)\w+)*)$`)

// loadMutants reads every mutant under testdata/mutants, reporting malformed ones.
func (c *checker) loadMutants() []*mutant {
	var all []*mutant
	base := filepath.Join(c.root, "testdata", "mutants")
	for _, ch := range c.m.Chapters {
		entries, err := os.ReadDir(filepath.Join(base, ch.ID))
		if err != nil || len(entries) == 0 {
			c.check(ch.ID+": has mutants", false, "    no testdata/mutants/"+ch.ID+"/")
			continue
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			mu := &mutant{chapter: ch, name: e.Name(), dir: filepath.Join(base, ch.ID, e.Name()), overlay: map[string]string{}}
			var problems []string
			for name := range files(mu.dir) {
				if !strings.HasSuffix(name, ".go") {
					continue
				}
				mu.overlay[filepath.Join(c.root, "solutions", ch.ID, name)] = filepath.Join(mu.dir, name)
				b, _ := os.ReadFile(filepath.Join(mu.dir, name))
				first, _, _ := strings.Cut(string(b), "\n")
				m := mutantHeader.FindStringSubmatch(strings.TrimSpace(first))
				if m == nil {
					problems = append(problems, name+": first line is not `// mutant: <bug>; caught by TestA, TestB`")
					continue
				}
				mu.bug, mu.caughtBy = m[1], strings.Split(m[2], ", ")
			}
			for _, test := range mu.caughtBy {
				if !slices.ContainsFunc(ch.Exercises, func(e *manifest.Exercise) bool { return slices.Contains(e.Tests, test) }) {
					problems = append(problems, test+" is not a test of "+ch.ID+" in the manifest")
				}
			}
			if len(mu.overlay) == 0 {
				problems = append(problems, "no .go files")
			}
			if len(problems) > 0 {
				c.check(fmt.Sprintf("mutant %s/%s is well formed", ch.ID, mu.name), false, "    "+strings.Join(problems, "\n    "))
				continue
			}
			all = append(all, mu)
		}
	}
	return all
}

func (c *checker) mutants(ctx context.Context) {
	var builds []func()
	type built struct {
		mu  *mutant
		bin string
	}
	var mu sync.Mutex
	var bins []built
	for _, m := range c.loadMutants() {
		builds = append(builds, func() {
			bin, ok := c.binary(ctx, "mutant "+m.chapter.ID+"/"+m.name, filepath.Join("solutions", m.chapter.ID), m.overlay)
			if ok {
				mu.Lock()
				bins = append(bins, built{m, bin})
				mu.Unlock()
			}
		})
	}
	parallel(c.jobs, builds)
	sort.Slice(bins, func(i, j int) bool { return bins[i].mu.dir < bins[j].mu.dir })
	var jobs []func()
	for _, b := range bins {
		for _, test := range b.mu.caughtBy {
			jobs = append(jobs, func() {
				r := killsMutant(ctx, c.root, b.mu, b.bin, test)
				name := fmt.Sprintf("mutant %s/%s (%s) caught by %s (%.1fs)", b.mu.chapter.ID, b.mu.name, b.mu.bug, test, r.Elapsed.Seconds())
				switch {
				case r.Failed[test] && !r.TimedOut:
					c.check(name, true, "")
				case r.TimedOut:
					c.check(name, false, "    the test ran into the time limit instead of catching the mutant\n"+excerpt(r.Output, 30))
				case r.Passed[test]:
					c.check(name, false, "    the test PASSES on this wrong answer")
				default:
					c.check(name, false, "    no `--- FAIL` line: the binary crashed instead of failing the test\n"+excerpt(r.Output, 30))
				}
			})
		}
	}
	parallel(c.jobs, jobs)
}

// killsMutant runs one named test alone against a built mutant.
func killsMutant(ctx context.Context, root string, m *mutant, bin, test string) result {
	return runTest(ctx, bin, filepath.Join(root, "solutions", m.chapter.ID), "^"+test+"$", testLimit)
}

func union(a, b map[string]bool) []string {
	var all []string
	for k := range a {
		all = append(all, k)
	}
	for k := range b {
		if !a[k] {
			all = append(all, k)
		}
	}
	sort.Strings(all)
	return all
}
