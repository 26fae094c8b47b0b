package check

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// soakLimit bounds one run of a chapter's tests in the soak.
const soakLimit = 5 * time.Minute

// SoakOptions says how hard `make soak` tries.
type SoakOptions struct {
	Root       string
	Chapters   []string // only these chapters (all if empty)
	Solutions  int      // runs of each chapter's tests at each of CPUs
	CPUs       []int    // the -cpu values of the solutions' runs
	Mutants    int      // runs of each mutant against each test that must catch it, at each of MutantCPUs
	MutantCPUs []int
	Parallel   int // test processes at once
}

// Soak repeats the solutions' tests and the mutants under -race, and prints each
// chapter's flake rate with its 95% upper bound and each mutant's kill rate. It reports
// whether there was no flake and every mutant was killed every time.
func Soak(ctx context.Context, w io.Writer, o SoakOptions) (bool, error) {
	m, err := manifest.Load(o.Root)
	if err != nil {
		return false, err
	}
	m.Chapters = soakChapters(m.Chapters, o.Chapters)
	tmp, err := os.MkdirTemp("", "workbook-soak-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	c := &checker{Options: Options{Root: o.Root}, m: m, out: w, tmp: tmp, jobs: max(o.Parallel, 1)}

	fmt.Fprintf(w, "solutions: each chapter's tests %d times under -race at -cpu %s, %d at a time\n",
		o.Solutions, ints(o.CPUs), c.jobs)
	bad := 0
	for _, ch := range m.Chapters {
		n, err := c.soakSolutions(ctx, w, o, ch)
		if err != nil {
			return false, err
		}
		bad += n
	}
	if o.Mutants == 0 {
		return report(w, bad+c.failed), nil
	}
	fmt.Fprintf(w, "mutants: each against each test that must catch it, %d times alone under -race at -cpu %s\n",
		o.Mutants, ints(o.MutantCPUs))
	n, err := c.soakMutants(ctx, w, o)
	if err != nil {
		return false, err
	}
	return report(w, bad+n+c.failed), nil
}

// soakChapters keeps the chapters named (by ID, by topic or by number), or all of them.
func soakChapters(all []*manifest.Chapter, names []string) []*manifest.Chapter {
	if len(names) == 0 {
		return all
	}
	var keep []*manifest.Chapter
	for _, ch := range all {
		for _, want := range names {
			if ch.ID == want || strings.TrimLeft(ch.ID, "0123456789_") == want || ch.ID[:2] == want {
				keep = append(keep, ch)
			}
		}
	}
	return keep
}

// soakSolutions runs a chapter's solution tests o.Solutions times at each -cpu and
// returns how many -cpu values saw a failure.
func (c *checker) soakSolutions(ctx context.Context, w io.Writer, o SoakOptions, ch *manifest.Chapter) (int, error) {
	pkg := layout.ChapterDir(layout.Solutions, ch.ID)
	bin, ok := c.build(ctx, pkg, pkg, nil)
	if !ok {
		return 1, nil
	}
	var tests []string
	for _, e := range ch.Exercises {
		tests = append(tests, e.Tests...)
	}
	bad := 0
	for _, cpu := range o.CPUs {
		var fails atomic.Int32
		var last atomic.Value
		jobs := make([]func(), o.Solutions)
		for i := range jobs {
			jobs[i] = func() {
				r := runner.Exec(ctx, runner.Spec{Bin: bin, Dir: filepath.Join(o.Root, filepath.FromSlash(pkg)),
					Limit: soakLimit, Args: []string{fmt.Sprintf("-test.cpu=%d", cpu)}})
				if !r.Interrupted && r.Verdict(tests) != runner.Pass {
					fails.Add(1)
					last.Store(r)
				}
			}
		}
		runner.Parallel(c.jobs, jobs)
		if ctx.Err() != nil {
			return bad, ctx.Err()
		}
		n, k := o.Solutions, int(fails.Load())
		fmt.Fprintf(w, "  %-16s -cpu %d  %3d/%d runs failed (flake rate %.1f%%, 95%% upper bound %.1f%%)\n",
			ch.ID, cpu, k, n, 100*float64(k)/float64(n), 100*UpperBound(k, n))
		if k == 0 {
			continue
		}
		bad++
		r := last.Load().(*runner.Result)
		for _, t := range tests {
			if st := r.Test(t).Status; st != runner.TestPass {
				fmt.Fprintf(w, "      %s: %s\n%s\n", t, st, excerpt(r.Test(t).Output, 30))
			}
		}
	}
	return bad, nil
}

// soakMutants runs every mutant against each test that must catch it, o.Mutants times at
// each -cpu, and returns how many of those were not killed every time.
func (c *checker) soakMutants(ctx context.Context, w io.Writer, o SoakOptions) (int, error) {
	bad := 0
	for _, b := range c.buildMutants(ctx, c.loadMutants()) {
		dir := filepath.Join(o.Root, layout.Solutions, b.mu.Chapter.ID)
		for _, test := range b.mu.CaughtBy {
			for _, cpu := range o.MutantCPUs {
				var kills atomic.Int32
				jobs := make([]func(), o.Mutants)
				for i := range jobs {
					jobs[i] = func() {
						if ok, _, _ := mustFail(ctx, b.bin, dir, test, fmt.Sprintf("-test.cpu=%d", cpu)); ok {
							kills.Add(1)
						}
					}
				}
				runner.Parallel(c.jobs, jobs)
				if ctx.Err() != nil {
					return bad, ctx.Err()
				}
				fmt.Fprintf(w, "  %-40s by %-36s -cpu %d  killed %2d/%d\n", b.mu.Chapter.ID+"/"+b.mu.Name, test, cpu,
					kills.Load(), o.Mutants)
				if int(kills.Load()) < o.Mutants {
					bad++
				}
			}
		}
	}
	return bad, nil
}

// report prints the soak's last line and reports whether there was no problem.
func report(w io.Writer, bad int) bool {
	if bad > 0 {
		fmt.Fprintf(w, "soak: %d problems\n", bad)
		return false
	}
	fmt.Fprintln(w, "soak: no flakes, every mutant killed every time")
	return true
}

// UpperBound returns the one-sided 95% upper confidence bound (Clopper-Pearson) of a rate
// seen k times in n trials: the p at which k or fewer in n has a 5% chance.
func UpperBound(k, n int) float64 {
	if n <= 0 {
		return 1
	}
	if k >= n {
		return 1
	}
	lo, hi := float64(k)/float64(n), 1.0
	for range 60 {
		mid := (lo + hi) / 2
		if binomCDF(k, n, mid) > 0.05 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// binomCDF is P(X ≤ k) for X ~ Binomial(n, p).
func binomCDF(k, n int, p float64) float64 {
	sum := 0.0
	for i := 0; i <= k; i++ {
		lg := lgamma(n+1) - lgamma(i+1) - lgamma(n-i+1)
		sum += math.Exp(lg + float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p))
	}
	return sum
}

func lgamma(x int) float64 {
	v, _ := math.Lgamma(float64(x))
	return v
}

func ints(v []int) string {
	var s []string
	for _, n := range v {
		s = append(s, fmt.Sprint(n))
	}
	return strings.Join(s, ",")
}
