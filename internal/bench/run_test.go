package bench

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// chapterTest is the test file of the chapter 01_x that workbook writes, the same in both
// trees. Each test binary appends its tree ("exercises" or "solutions") to order.log at
// the workbook's root when it starts, so the log shows the order of the runs, and
// BenchmarkRound reports the how-manieth run of its tree this is: 1, 2, 3, a spread no
// single bound can sit outside of.
const chapterTest = `package x

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var round int

func TestMain(m *testing.M) {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	tree := filepath.Base(filepath.Dir(wd))
	log := filepath.Join(wd, "..", "..", "order.log")
	b, _ := os.ReadFile(log)
	round = strings.Count(string(b), tree+"\n") + 1
	f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		panic(err)
	}
	fmt.Fprintln(f, tree)
	f.Close()
	os.Exit(m.Run())
}

func TestUnits(t *testing.T) {
	if got := Units(2); got != 2 {
		t.Errorf("Units(2) = %d, want 2", got)
	}
}

func BenchmarkUnits(b *testing.B) {
	for _, size := range []int{1, 2} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			u := 0
			for b.Loop() {
				u = Units(size)
			}
			b.ReportMetric(float64(u), "units/op")
		})
	}
}

func BenchmarkRound(b *testing.B) {
	for b.Loop() {
	}
	b.ReportMetric(float64(round), "round")
}
`

// workbook writes a workbook of one chapter, 01_x, into a temporary directory: go.mod,
// and chapterTest in exercises/01_x and solutions/01_x beside the learner's and the
// reference's code. It returns the root.
func workbook(t *testing.T, yours, reference string) string {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"go.mod":                   "module example.com/wb\n\ngo 1.26\n",
		"exercises/01_x/x.go":      yours,
		"exercises/01_x/x_test.go": chapterTest,
		"solutions/01_x/x.go":      reference,
		"solutions/01_x/x_test.go": chapterTest,
	}
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	return root
}

// chapter returns the chapter 01_x of two exercises and two targets: a ratio that the
// reference's Units meets (2 ÷ 1) and one of BenchmarkRound's, which no three rounds can
// decide.
func chapter() *manifest.Chapter {
	f := func(v float64) *float64 { return &v }
	ch := &manifest.Chapter{ID: "01_x", Title: "units", Targets: []*manifest.Target{
		{Name: "size=2 does 1.5 to 3× the units of size=1", Benchmark: "BenchmarkUnits/size=2", Baseline: "BenchmarkUnits/size=1",
			CPU: 2, Metric: "units/op", Min: f(1.5), Max: f(3)},
		{Name: "round at least 2", Benchmark: "BenchmarkRound", CPU: 1, Metric: "round", Min: f(2)},
	}}
	ch.Exercises = []*manifest.Exercise{{Name: "units", Chapter: ch}, {Name: "round", Chapter: ch}}
	return ch
}

// quietMeter reads the counters of a machine of 8 cores that nothing else uses.
func quietMeter() (Usage, bool) {
	now := time.Now()
	return Usage{At: now, Total: float64(now.UnixNano()) / 1e7 * 8, Cores: 8}, true
}

// cells marks the columns of the report's tables: two spaces or more become " | ".
func cells(out string) string {
	return regexp.MustCompile(`\S {2,}`).ReplaceAllStringFunc(out, func(s string) string { return s[:1] + " | " })
}

// runOrder returns the trees of the runs in the order they started, and empties the log.
func runOrder(t *testing.T, root string) []string {
	t.Helper()
	log := filepath.Join(root, "order.log")
	b, err := os.ReadFile(log)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	require.NoError(t, err)
	require.NoError(t, os.Remove(log))
	// Each -cpu value is a process of its own: one turn of a tree is a run of starts.
	var turns []string
	for _, tree := range strings.Fields(string(b)) {
		if len(turns) == 0 || turns[len(turns)-1] != tree {
			turns = append(turns, tree)
		}
	}
	return turns
}

func TestRun(t *testing.T) {
	// Yours squares: done (its tests are not run here), and misses the ratio target.
	root := workbook(t,
		"package x\n\n// Units returns n*n.\nfunc Units(n int) int { return n * n }\n",
		"package x\n\n// Units returns n.\nfunc Units(n int) int { return n }\n")
	opts := func(notDone ...string) Options {
		return Options{Root: root, Chapter: chapter(), NotDone: notDone, Benchtime: "5x", Rounds: 3,
			Reference: true, Limit: time.Minute, Meter: quietMeter, Probe: -1, cores: 8}
	}
	abab := []string{"exercises", "solutions", "exercises", "solutions", "exercises", "solutions"}

	t.Run("done", func(t *testing.T) {
		var b strings.Builder
		ok, err := Run(context.Background(), &b, opts())
		out := cells(b.String())
		require.NoError(t, err, "Run(a chapter that builds):\n%s", out)
		if diff := cmp.Diff(abab, runOrder(t, root)); diff != "" {
			t.Errorf("Run(3 rounds) ran the test binaries in the wrong order (-want +got): yours and the reference take turns:\n%s\n%s", diff, out)
		}
		for _, want := range []string{
			"round 3 of 3: yours",
			"units/op ratio | 1.5 … 3 | 4.00× misses | 2.00× meets",                       // yours, then the reference's
			"round | ≥ 2 | 3.00 [1.00–5.00] inconclusive | 3.00 [1.00–5.00] inconclusive", // -cpu 1 runs first in each of 3 rounds: starts 1, 3, 5
			"BenchmarkUnits/size=1 | 1 |",                                                 // time per op at -cpu 1
			"BenchmarkUnits/size=2 | 2 |",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("Run(a done chapter) printed no %q:\n%s", want, out)
			}
		}
		if ok {
			t.Errorf("Run(yours misses a target) = ok:\n%s", out)
		}
	})

	t.Run("not_done", func(t *testing.T) {
		var b strings.Builder
		ok, err := Run(context.Background(), &b, opts("units"))
		out := cells(b.String())
		require.NoError(t, err, "Run(a chapter that builds):\n%s", out)
		if diff := cmp.Diff(abab, runOrder(t, root)); diff != "" {
			t.Errorf("Run(3 rounds, one exercise done) ran the test binaries in the wrong order (-want +got):\n%s\n%s", diff, out)
		}
		for _, want := range []string{
			"not done yet | 2.00× meets",
			"yours: not done yet: the tests of units do not pass yet",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("Run(exercise units not done) printed no %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "4.00×") {
			t.Errorf("Run(exercise units not done) judged yours:\n%s", out)
		}
		if !ok {
			t.Errorf("Run(nothing of yours judged) = not ok:\n%s", out)
		}
	})

	t.Run("none_done", func(t *testing.T) {
		var b strings.Builder
		ok, err := Run(context.Background(), &b, opts("units", "round"))
		out := b.String()
		require.NoError(t, err, "Run(a chapter that builds):\n%s", out)
		if diff := cmp.Diff([]string{"solutions"}, runOrder(t, root)); diff != "" {
			t.Errorf("Run(no exercise done) mismatch in the runs (-want +got): yours need not run:\n%s\n%s", diff, out)
		}
		if !strings.Contains(out, "yours: not done yet: none of the chapter's exercises passes its tests yet") {
			t.Errorf("Run(no exercise done) does not say so:\n%s", out)
		}
		if !ok {
			t.Errorf("Run(nothing of yours judged) = not ok:\n%s", out)
		}
	})
}

func TestRunBuildFailure(t *testing.T) {
	root := workbook(t, "package x\n\nfunc Units(n int) int { return m }\n", "package x\n\nfunc Units(n int) int { return n }\n")
	_, err := Run(context.Background(), new(strings.Builder), Options{Root: root, Chapter: chapter(), Reference: true, Limit: time.Minute})
	if err == nil || !strings.Contains(err.Error(), "exercises/01_x does not build") || !strings.Contains(err.Error(), "undefined: m") {
		t.Errorf("Run(yours does not compile) returned error %v, want one that says exercises/01_x does not build, with the compiler's message", err)
	}
	if got := runOrder(t, root); len(got) > 0 {
		t.Errorf("Run(yours does not compile) ran %v", got)
	}
}

func TestRunStopsWhenTheContextEnds(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where Run makes its temporary directory
	root := workbook(t,
		"package x\n\nimport \"time\"\n\n// Units hangs.\nfunc Units(n int) int { time.Sleep(time.Minute); return n }\n",
		"package x\n\nfunc Units(n int) int { return n }\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		err error
		out string
	}
	done := make(chan result, 1)
	go func() {
		var b strings.Builder
		_, err := Run(ctx, &b, Options{Root: root, Chapter: chapter(), Benchtime: "1x", Reference: true, Limit: time.Minute})
		done <- result{err, b.String()}
	}()
	// Wait until yours runs (its benchmark then sleeps for a minute), then interrupt.
	deadline := time.Now().Add(time.Minute)
	for {
		if b, _ := os.ReadFile(filepath.Join(root, "order.log")); strings.Contains(string(b), "exercises") {
			break
		}
		select {
		case r := <-done:
			t.Fatalf("Run returned before it ran yours: %v\n%s", r.err, r.out)
		case <-time.After(20 * time.Millisecond):
		}
		require.True(t, time.Now().Before(deadline), "yours did not start within a minute")
	}
	cancel()
	stopped := time.Now()
	select {
	case r := <-done:
		if !errors.Is(r.err, context.Canceled) {
			t.Errorf("Run(interrupted) returned error %v, want context.Canceled\n%s", r.err, r.out)
		}
		if d := time.Since(stopped); d > 5*time.Second {
			t.Errorf("Run(interrupted) returned %s after the interruption, want at once", d)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Run(interrupted) has not returned 30s after its context ended: the running binary was not killed")
	}
	left, err := filepath.Glob(filepath.Join(tmp, "workbook-bench-*"))
	require.NoError(t, err)
	if len(left) > 0 {
		t.Errorf("Run(interrupted) left its temporary directory behind: %v", left)
	}
}
