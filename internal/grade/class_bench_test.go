package grade

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// BenchmarkGradeClass grades a generated class of N learners (README, "Grading in CI"):
// one broken build, one hostile, the rest solved, untouched and half solved in turn,
// each learner's files their own (a comment names the learner, so no two learners share
// a compiled package or a cache key). It reports the seconds per learner of a cold grade
// (an empty report cache; the Go build cache as this machine has it) and of the
// incremental one that follows (every learner unchanged).
//
// It is slow, so it runs only when asked:
//
//	WORKBOOK_CLASS_BENCH=4,16 WORKBOOK_CLASS_BENCH_CHAPTERS=03_race,06_conditions \
//	  go test -run '^$' -bench BenchmarkGradeClass -benchtime 1x -timeout 2h ./internal/grade
//
// WORKBOOK_CLASS_BENCH_CHAPTERS trims the course to those chapters (default: all);
// WORKBOOK_CLASS_BENCH_SERIAL=1 grades the learners of the cold run one at a time.
func BenchmarkGradeClass(b *testing.B) {
	sizes := os.Getenv("WORKBOOK_CLASS_BENCH")
	if sizes == "" {
		b.Skip("set WORKBOOK_CLASS_BENCH=4,16 to grade generated classes of those sizes")
	}
	var chapters []string
	if c := os.Getenv("WORKBOOK_CLASS_BENCH_CHAPTERS"); c != "" {
		chapters = strings.Split(c, ",")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		b.Fatal(err)
	}
	course := benchCourse(b, root, chapters)
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("WORKBOOK_CLASS_BENCH=%q is not a list of class sizes", sizes)
		}
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			learners := benchClass(b, root, course, n)
			o := ClassOptions{Course: course, Learners: learners, Limit: 60 * time.Second, Jobs: runner.Procs(),
				NoSandbox: runner.SandboxProblem() != nil, Cache: b.TempDir()}
			for b.Loop() {
				_ = os.RemoveAll(o.Cache)
				start := time.Now()
				var reps []*Report
				var errs []error
				if os.Getenv("WORKBOOK_CLASS_BENCH_SERIAL") != "" { // one learner at a time, as before issue 17
					for _, l := range learners {
						one := o
						one.Learners = []string{l}
						r, e := GradeClass(context.Background(), one)
						reps, errs = append(reps, r...), append(errs, e...)
					}
				} else {
					reps, errs = GradeClass(context.Background(), o)
				}
				cold := time.Since(start)
				start = time.Now()
				again, _ := GradeClass(context.Background(), o)
				warm := time.Since(start)
				var summary []string
				for i, r := range reps {
					if r == nil {
						b.Fatalf("%s: %v", learners[i], errs[i])
					}
					summary = append(summary, fmt.Sprintf("%s %d/%d", filepath.Base(learners[i]), r.Totals.Pass, r.Totals.Exercises))
					if !again[i].Reused {
						b.Errorf("%s was regraded, unchanged", learners[i])
					}
				}
				b.ReportMetric(cold.Seconds(), "s-cold")
				b.ReportMetric(cold.Seconds()/float64(n), "s/learner")
				b.ReportMetric(warm.Seconds(), "s-incremental")
				b.ReportMetric(warm.Seconds()/float64(n), "s/learner-incremental")
				b.Logf("N=%d, %d cores, sandbox %t: cold %.1fs (%.2fs a learner), incremental %.2fs (%.3fs a learner); %s",
					n, runner.Procs(), !o.NoSandbox, cold.Seconds(), cold.Seconds()/float64(n), warm.Seconds(),
					warm.Seconds()/float64(n), strings.Join(summary, ", "))
			}
		})
	}
}

// benchCourse makes the course, trimmed to chapters (all when none).
func benchCourse(b *testing.B, root string, chapters []string) string {
	m, err := manifest.Load(root)
	if err != nil {
		b.Fatal(err)
	}
	if len(chapters) > 0 {
		m.Chapters = slices.DeleteFunc(m.Chapters, func(ch *manifest.Chapter) bool { return !slices.Contains(chapters, ch.ID) })
	}
	dir := b.TempDir()
	parts := []string{"go.mod", "go.sum", "internal", "testdata/workbook"}
	for _, ch := range m.Chapters {
		parts = append(parts, "exercises/"+ch.ID, "testdata/mutants/"+ch.ID, "testdata/"+ch.ID)
	}
	for _, p := range parts {
		if err := copyTree(root, dir, p); err != nil {
			b.Fatal(err)
		}
	}
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, manifest.File), js, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// benchClass makes n learners' trees: learner 0 does not build, learner 1 is hostile
// (solved, plus code the static policy rejects and a rewritten test file), the others
// solved, untouched and half solved in turn.
func benchClass(b *testing.B, root, course string, n int) []string {
	m, err := manifest.Load(course)
	if err != nil {
		b.Fatal(err)
	}
	base := b.TempDir()
	var out []string
	for i := range n {
		kind := []string{"solved", "untouched", "half"}[(i+1)%3]
		switch i {
		case 0:
			kind = "broken"
		case 1:
			kind = "hostile"
		}
		dir := filepath.Join(base, fmt.Sprintf("%03d-%s", i, kind))
		for _, p := range []string{"go.mod", "go.sum", "exercises"} {
			if err := copyTree(course, dir, p); err != nil {
				b.Fatal(err)
			}
		}
		exercises := m.Exercises()
		for j, e := range exercises {
			solve := kind == "solved" || kind == "hostile" || (kind == "half" && j < len(exercises)/2)
			for _, f := range e.Files {
				rel := filepath.Join("exercises", e.Chapter.ID, f)
				from := filepath.Join(course, rel)
				if solve {
					from = filepath.Join(root, "solutions", e.Chapter.ID, f)
				}
				body, err := os.ReadFile(from)
				if err != nil {
					b.Fatal(err)
				}
				body = fmt.Appendf(body, "\n// %s's own copy.\n", filepath.Base(dir))
				if kind == "broken" && j == 0 {
					body = append(body, "func broken( {\n"...)
				}
				if err := os.WriteFile(filepath.Join(dir, rel), body, 0o644); err != nil {
					b.Fatal(err)
				}
			}
			if kind == "hostile" && j == 0 {
				ch := filepath.Join(dir, "exercises", e.Chapter.ID)
				hostile := "package " + packageName(b, filepath.Join(ch, e.Files[0])) +
					"\n\nimport \"os\"\n\nfunc init() { os.RemoveAll(\"/\") }\n"
				if err := os.WriteFile(filepath.Join(ch, e.Files[0]), []byte(hostile), 0o644); err != nil {
					b.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(ch, "pass_test.go"), []byte("package x\n"), 0o644); err != nil {
					b.Fatal(err)
				}
			}
		}
		out = append(out, dir)
	}
	return out
}

// packageName is the package clause of a Go file.
func packageName(b *testing.B, path string) string {
	body, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if name, ok := strings.CutPrefix(line, "package "); ok {
			return strings.TrimSpace(name)
		}
	}
	b.Fatalf("%s has no package clause", path)
	return ""
}
