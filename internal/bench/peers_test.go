package bench

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// repoRoot is the workbook this package belongs to.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	return root
}

// TestPeersNameRealBenchmarks checks the Peers table and the manifest's Python targets
// against the chapters' bench_test.go and Python peers, without running Python.
func TestPeersNameRealBenchmarks(t *testing.T) {
	root := repoRoot(t)
	m, err := manifest.Load(root)
	require.NoError(t, err)
	for id := range Peers {
		i := slices.IndexFunc(m.Chapters, func(c *manifest.Chapter) bool { return c.ID == id })
		if i < 0 {
			t.Errorf("Peers has %s, which the manifest does not", id)
			continue
		}
		ch := m.Chapters[i]
		if problems := TargetProblems(root, ch); len(problems) > 0 {
			t.Errorf("TargetProblems(%s) = %q, want none", id, problems)
		}
		pythonTargets := 0
		for _, tg := range ch.Targets {
			if Peers[id].pythonTarget(tg) {
				pythonTargets++
			}
		}
		if pythonTargets == 0 {
			t.Errorf("chapter %s has a Python peer and no Go ÷ Python target in the manifest: the comparison gets no verdict", id)
		}
	}
}

func TestPeerProblems(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "bench_test.go")
	require.NoError(t, os.WriteFile(file, []byte(`package x

import "testing"

func BenchmarkUnits(b *testing.B) {
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("size=%d", n), func(b *testing.B) {})
	}
}

func BenchmarkPythonish(b *testing.B) {}
`), 0o644))
	script := filepath.Join(root, filepath.FromSlash(ScriptPath("01_x")))
	require.NoError(t, os.MkdirAll(filepath.Dir(script), 0o755))
	require.NoError(t, os.WriteFile(script, []byte(`peer.Bench(f"BenchmarkPythonUnits/workers={w}", op)`), 0o644))
	Peers["01_x"] = &Peer{Programs: []Program{{Title: "units", Metric: "units/op", Series: series(
		py("Python", "BenchmarkPythonUnits/workers=%d"),
		py("Python, missing", "BenchmarkPythonGone"),
		goSeries("Go", "BenchmarkUnits/size=%d"),
		goSeries("Go, missing", "BenchmarkUnits/count=%d"))}}}
	defer delete(Peers, "01_x")
	f := func(v float64) *float64 { return &v }
	ch := &manifest.Chapter{ID: "01_x", Targets: []*manifest.Target{
		{Name: "go ÷ python", Benchmark: "BenchmarkUnits/size=2", Baseline: "BenchmarkPythonUnits/workers=1", CPU: 2, Metric: "units/op", Min: f(1)},
		{Name: "python ÷ missing", Benchmark: "BenchmarkPythonUnits/workers=2", Baseline: "BenchmarkPythonNowhere", CPU: 2, Metric: "units/op", Min: f(1)},
	}}
	got := append(targetProblems(file, ch.Targets), peerProblems(root, ch, file)...)
	want := []string{
		`BenchmarkPythonGone: testdata/01_x/python/bench.py never names BenchmarkPythonGone`,
		`BenchmarkPythonNowhere: testdata/01_x/python/bench.py never names BenchmarkPythonNowhere`,
		`Python peer's series "BenchmarkUnits/count=1": BenchmarkUnits runs no sub-benchmark "count=1"`,
		`Python peer's series "BenchmarkUnits/count=1": BenchmarkUnits runs no sub-benchmark "count=1"`,
		`BenchmarkPythonish: a Go benchmark's name may not begin with BenchmarkPython, which marks a Python peer's`,
	}
	slices.Sort(got)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("peerProblems() mismatch (-want +got):\n%s", diff)
	}
	delete(Peers, "01_x")
	if got := peerProblems(root, ch, file); len(got) != 1 || !strings.Contains(got[0], "no Python peer") {
		t.Errorf("peerProblems(Python targets, no peer) = %q, want that the chapter has no Python peer", got)
	}
}

// TestPeerScripts runs each chapter's Python peer with -list: every Python series and
// target must be among the names it lists. It needs python3, and skips without it.
func TestPeerScripts(t *testing.T) {
	py := findPython(context.Background(), "")
	if py.path == "" {
		t.Skipf("the Python peers are not listed: %s", py.why)
	}
	root := repoRoot(t)
	m, err := manifest.Load(root)
	require.NoError(t, err)
	for id, p := range Peers {
		if !hasScript(root, id) {
			continue
		}
		cmd := exec.Command(py.path, "-B", "-I", filepath.Join(root, filepath.FromSlash(ScriptPath(id))), "-list", "-workers", "1,2")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s -list:\n%s", ScriptPath(id), out)
		listed := strings.Fields(string(out))
		var names []string
		for _, prog := range p.Programs {
			for _, s := range prog.Series {
				if s.From == Python {
					names = append(names, s.name(1), s.name(2))
				}
			}
		}
		for _, ch := range m.Chapters {
			for _, tg := range ch.Targets {
				if ch.ID == id {
					names = append(names, tg.Benchmark, tg.Baseline)
				}
			}
		}
		for _, n := range names {
			if !strings.HasPrefix(n, PythonPrefix) || slices.Contains(listed, n) {
				continue
			}
			if strings.Contains(n, "/method=") {
				continue // a start method this system does not have
			}
			t.Errorf("%s -list does not list %s, which Peers or a target names; it lists %q", ScriptPath(id), n, listed)
		}
	}
}

// fakePython is a Python interpreter for Run's tests: a shell script that answers the
// version question, and otherwise appends "python" to order.log (in the directory it
// runs in, the workbook's root) and prints a peer's results: units/op = workers.
const fakePython = `#!/bin/sh
case "$*" in
*" -c "*) echo "3.99.0 $0"; exit 0 ;;
esac
echo python >> order.log
echo "python: CPython 3.99.0, multiprocessing start method fork, 2 CPUs"
printf 'BenchmarkPythonUnits/workers=1\t5\t1000 ns/op\t1 units/op\n'
printf 'BenchmarkPythonUnits/workers=2\t5\t1000 ns/op\t2 units/op\n'
`

func TestRunWithPython(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake Python is a shell script")
	}
	root := workbook(t,
		"package x\n\n// Units returns n*n.\nfunc Units(n int) int { return n * n }\n",
		"package x\n\n// Units returns n.\nfunc Units(n int) int { return n }\n")
	script := filepath.Join(root, filepath.FromSlash(ScriptPath("01_x")))
	require.NoError(t, os.MkdirAll(filepath.Dir(script), 0o755))
	require.NoError(t, os.WriteFile(script, []byte("# the fake interpreter does not read it\n"), 0o644))
	python := filepath.Join(t.TempDir(), "python3")
	require.NoError(t, os.WriteFile(python, []byte(fakePython), 0o755))

	Peers["01_x"] = &Peer{Programs: []Program{{Title: "Units of work", Metric: "units/op", Chart: true, XLabel: "workers",
		Series: series(py("Python threads", "BenchmarkPythonUnits/workers=%d"), goSeries("Go Units", "BenchmarkUnits/size=%d"))}}}
	defer delete(Peers, "01_x")
	ch := chapter()
	f := func(v float64) *float64 { return &v }
	ch.Targets = append(ch.Targets, &manifest.Target{Name: "Go size=2 does ≥ 3× the units of Python's workers=1",
		Benchmark: "BenchmarkUnits/size=2", Baseline: "BenchmarkPythonUnits/workers=1", CPU: 2, Metric: "units/op", Min: f(3)})
	opts := Options{Root: root, Chapter: ch, Benchtime: "5x", Rounds: 2, Reference: true, Limit: time.Minute,
		Python: python, Meter: quietMeter, Probe: -1, cores: 8}

	var b strings.Builder
	ok, err := Run(context.Background(), &b, opts)
	out := cells(b.String())
	require.NoError(t, err, "Run(a chapter with a Python peer):\n%s", out)
	if diff := cmp.Diff([]string{"exercises", "solutions", "python", "exercises", "solutions", "python"}, runOrder(t, root)); diff != "" {
		t.Errorf("Run(2 rounds) ran in the wrong order (-want +got): yours, the reference and Python take turns:\n%s\n%s", diff, out)
	}
	for _, want := range []string{
		"with the seed's Python beside them: Python 3.99.0",
		"CPython 3.99.0, multiprocessing start method fork",
		"series | workers=1 | workers=2 | speed-up 1→2",
		"Python threads | 1.00 | 2.00 | 2.00×",
		"Go Units, yours | 1.00 | 4.00 | 4.00×", // yours squares
		"Go Units, reference | 1.00 | 2.00 | 2.00×",
		"Go size=2 does ≥ 3× the units of Python's workers=1 | ≥ 3 | 4.00× meets | 2.00× misses",
		"Idle cores: 8.0 of 8",
		"Chart: .workbook/bench/01_x.svg",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Run(a chapter with a Python peer) printed no %q:\n%s", want, out)
		}
	}
	// The Go ÷ Python target is judged in its own table, not among the Go targets.
	if strings.Count(out, "Go size=2 does ≥ 3×") != 1 {
		t.Errorf("Run printed the Go ÷ Python target other than once:\n%s", out)
	}
	if ok {
		t.Errorf("Run(yours misses a Go target) = ok:\n%s", out)
	}
	svg, err := os.ReadFile(filepath.Join(root, ".workbook", "bench", "01_x.svg"))
	require.NoError(t, err, "the chart Run said it wrote")
	var labels []string
	for _, s := range parseSVG(t, svg).all(func(n *node) bool { return n.attr("class") == "series" }) {
		labels = append(labels, s.attr("data-label"))
	}
	if diff := cmp.Diff([]string{"Python threads", "Go Units, yours", "Go Units, reference"}, labels); diff != "" {
		t.Errorf("the chart's series mismatch (-want +got):\n%s", diff)
	}

	t.Run("no_python", func(t *testing.T) {
		o := opts
		o.Python, o.Rounds = filepath.Join(t.TempDir(), "python3"), 1
		var b strings.Builder
		_, err := Run(context.Background(), &b, o)
		out := cells(b.String())
		require.NoError(t, err, "Run(no Python):\n%s", out)
		if diff := cmp.Diff([]string{"exercises", "solutions"}, runOrder(t, root)); diff != "" {
			t.Errorf("Run(no Python) ran (-want +got):\n%s\n%s", diff, out)
		}
		for _, want := range []string{
			"without the seed's Python: no Python 3 found",
			"Python did not run: no Python 3 found",
			"Go size=2 does ≥ 3× the units of Python's workers=1 | ≥ 3 | not measured | not measured",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("Run(no Python) printed no %q:\n%s", want, out)
			}
		}
	})
}
