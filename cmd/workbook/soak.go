package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"

	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

func cmdSoak(root string, args []string) int {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	nSol := fs.Int("solutions", 20, "runs of each solution's tests under -race")
	nMut := fs.Int("mutants", 10, "runs of each mutant against each test that must catch it")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	m, err := manifest.Load(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook soak:", err)
		return 2
	}
	tmp, err := os.MkdirTemp("", "workbook-soak-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "workbook soak:", err)
		return 2
	}
	defer os.RemoveAll(tmp)
	c := &checker{root: root, m: m, tmp: tmp, jobs: runtime.GOMAXPROCS(0)}
	ctx := context.Background()
	bad := 0

	fmt.Printf("solutions: each chapter's tests, %d runs under -race\n", *nSol)
	for _, ch := range m.Chapters {
		dir := filepath.Join("solutions", ch.ID)
		bin, ok := c.binary(ctx, dir, dir, nil)
		if !ok {
			bad++
			continue
		}
		var fails atomic.Int32
		var last atomic.Value
		jobs := make([]func(), *nSol)
		for i := range jobs {
			jobs[i] = func() {
				r := runTest(ctx, bin, filepath.Join(root, dir), ".", testLimit)
				if r.Exit != nil {
					fails.Add(1)
					last.Store(r.Output)
				}
			}
		}
		parallel(c.jobs, jobs)
		fmt.Printf("  %-16s %2d/%d runs failed (flake rate %.0f%%)\n", ch.ID, fails.Load(), *nSol, 100*float64(fails.Load())/float64(*nSol))
		if fails.Load() > 0 {
			bad++
			out := last.Load().(string)
			fmt.Println(failureExcerpt(out, 40))
			if f, err := os.CreateTemp("", "workbook-soak-"+ch.ID+"-*.txt"); err == nil {
				f.WriteString(out)
				f.Close()
				fmt.Printf("      (the whole output of the last failed run: %s)\n", f.Name())
			}
		}
	}

	fmt.Printf("mutants: each against each test that must catch it, %d runs alone under -race\n", *nMut)
	for _, mu := range c.loadMutants() {
		bin, ok := c.binary(ctx, "mutant "+mu.chapter.ID+"/"+mu.name, filepath.Join("solutions", mu.chapter.ID), mu.overlay)
		if !ok {
			bad++
			continue
		}
		for _, test := range mu.caughtBy {
			var kills atomic.Int32
			jobs := make([]func(), *nMut)
			for i := range jobs {
				jobs[i] = func() {
					r := killsMutant(ctx, root, mu, bin, test)
					if r.Failed[test] && !r.TimedOut {
						kills.Add(1)
					}
				}
			}
			parallel(c.jobs, jobs)
			fmt.Printf("  %-40s by %-36s killed %2d/%d\n", mu.chapter.ID+"/"+mu.name, test, kills.Load(), *nMut)
			if int(kills.Load()) < *nMut {
				bad++
			}
		}
	}
	if bad > 0 {
		fmt.Printf("soak: %d problems\n", bad)
		return 1
	}
	fmt.Println("soak: no flakes, every mutant killed every time")
	return 0
}

// failureExcerpt returns about n lines of out around its first "--- FAIL" line (the
// failing test's messages come just before it), or its last n lines if it has none.
func failureExcerpt(out string, n int) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for i, l := range lines {
		if strings.Contains(l, "--- FAIL") {
			from := max(0, i-n+5)
			return excerpt(strings.Join(lines[from:min(len(lines), i+5)], "\n"), n)
		}
	}
	return excerpt(out, n)
}
