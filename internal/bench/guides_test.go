package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/stretchr/testify/require"
)

func TestSpliceFigures(t *testing.T) {
	guide := filepath.Join(t.TempDir(), "README.md")
	before := "## Benchmarks\n\nProse.\n\n" + figuresBegin + " old -->\nold figures\n" + figuresEnd + "\n\nMore prose.\n\n## Hints\n"
	require.NoError(t, os.WriteFile(guide, []byte(before), 0o644))
	require.NoError(t, spliceFigures(guide, figuresBegin+" new -->\nnew figures\n"+figuresEnd))
	b, err := os.ReadFile(guide)
	require.NoError(t, err)
	want := "## Benchmarks\n\nProse.\n\n" + figuresBegin + " new -->\nnew figures\n" + figuresEnd + "\n\nMore prose.\n\n## Hints\n"
	if string(b) != want {
		t.Errorf("spliceFigures() wrote\n%s\nwant\n%s", b, want)
	}
	require.NoError(t, os.WriteFile(guide, []byte("## Benchmarks\n\nNo markers.\n"), 0o644))
	if err := spliceFigures(guide, "x"); err == nil || !strings.Contains(err.Error(), "no <!-- bench-figures") {
		t.Errorf("spliceFigures(a guide without markers) = %v, want an error that names the markers", err)
	}
}

// TestFigures renders a guide's figures from rounds made up here: the reference at
// -cpu 1 and 2 and a Python peer, with a Go ÷ Python target.
func TestFigures(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	ch := &manifest.Chapter{ID: "01_x", Targets: []*manifest.Target{
		{Name: "Go ÷ Python: Go hashes ≥ 3× the bytes per second of Python's threads", Benchmark: "BenchmarkHash/workers=2", CPU: 2,
			Baseline: "BenchmarkPythonHash/impl=threads/workers=2", Metric: "MB/s", Min: f(3)},
	}}
	peer := &Peer{Programs: []Program{{Title: "Hash", Metric: "MB/s", Chart: true, XLabel: "workers", Series: series(
		py("Python threads", "BenchmarkPythonHash/impl=threads/workers=%d"),
		goSeries("Go", "BenchmarkHash/workers=%d"))}}}
	var goRuns, pyRuns Samples
	for _, k := range []float64{1, 1.1, 0.9} {
		goRuns = append(goRuns, []Result{
			{Name: "BenchmarkHash/workers=1", CPU: 1, Metrics: map[string]float64{"MB/s": 1000 * k}},
			{Name: "BenchmarkHash/workers=2", CPU: 2, Metrics: map[string]float64{"MB/s": 2000 * k}},
		})
		pyRuns = append(pyRuns, []Result{
			{Name: "BenchmarkPythonHash/impl=threads/workers=1", CPU: 1, Metrics: map[string]float64{"MB/s": 200 * k}},
			{Name: "BenchmarkPythonHash/impl=threads/workers=2", CPU: 1, Metrics: map[string]float64{"MB/s": 210 * k}},
		})
	}
	r := &result{ch: ch, peer: peer, cpus: []int{1, 2}, notDone: []string{"hash"},
		yours:   &tree{label: "yours"},
		ref:     &tree{label: "reference", run: true, samples: goRuns},
		py:      &tree{label: "python", run: true, samples: pyRuns, firstOut: "python: CPython 3.12.1, multiprocessing start method forkserver, 2 CPUs\n"},
		machine: machine{cores: 2, known: true, before: 1.9, during: 1.8}}
	got := r.figures("go run ./cmd/workbook dev bench-charts -w 01_x")
	for _, want := range []string{
		figuresBegin + ": `go run ./cmd/workbook dev bench-charts -w 01_x` writes what follows",
		"![01_x · throughput against workers: Go beside the seed's Python](bench.svg)",
		"3 rounds, each running the reference and the Python peer in turn; Go ",
		"CPython 3.12.1, multiprocessing start method forkserver; 2 cores, 1.9 idle before the rounds and 1.8 during them",
		"| Hash, MB/s | workers=1 | workers=2 | speed-up 1→2 |\n| --- | --- | --- | --- |\n",
		"| Python threads | 200 [180–220] | 210 [189–231] | 1.05× |",
		"| Go, reference | 1.00k [900–1.10k] | 2.00k [1.80k–2.20k] | 2.00× |",
		"| Go hashes ≥ 3× the bytes per second of Python's threads | ≥ 3 | 9.52× meets |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("figures() has no %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "yours") {
		t.Errorf("figures() shows the learner's series, which a guide has not:\n%s", got)
	}
	if !strings.HasSuffix(got, figuresEnd) {
		t.Errorf("figures() does not end with %q:\n%s", figuresEnd, got)
	}
}
