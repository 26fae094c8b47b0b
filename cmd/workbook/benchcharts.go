package main

import (
	"context"

	"github.com/go-concurrency-workbook/workbook/internal/bench"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
)

func cmdBenchCharts(ctx context.Context, e *env, args []string) int {
	fs := flags(e, "dev bench-charts")
	write := fs.Bool("w", false, "write the charts (bench.svg) and the figures into both trees' guides")
	rounds := fs.Int("rounds", 3, "rounds of reference-then-Python runs")
	benchtime := fs.String("benchtime", "200ms", "go test's -benchtime, and the Python peers'")
	cpu := fs.String("cpu", "1,2", "the -cpu (GOMAXPROCS) values, and the Python peers' worker counts")
	python := fs.String("python", "", "the Python interpreter (default: python3 on PATH)")
	minIdle := fs.Float64("min-idle", 1.5, "with -w, keep a guide's figures when fewer cores than this were idle on average during the rounds")
	rest, err := parseInterspersed(fs, args)
	if err != nil || *rounds < 1 {
		return exitUsage
	}
	cpus, err := intList(*cpu)
	if err != nil {
		e.errorf("dev bench-charts", "%v", err)
		return exitUsage
	}
	m, ok := load(e, "dev bench-charts")
	if !ok {
		return exitUsage
	}
	var chapters []*manifest.Chapter
	for _, ch := range m.Chapters {
		if bench.Peers[ch.ID] != nil && len(rest) == 0 {
			chapters = append(chapters, ch)
		}
	}
	for _, arg := range rest {
		chs, err := benchChapters(m, nil, []string{arg})
		if err != nil {
			e.errorf("dev bench-charts", "%v", err)
			return exitUsage
		}
		chapters = append(chapters, chs...)
	}
	if err := bench.Guides(ctx, e.stdout, bench.GuideOptions{Root: e.root, Chapters: chapters, Write: *write, Rounds: *rounds,
		Benchtime: *benchtime, CPU: cpus, Python: *python, MinIdle: *minIdle}); err != nil {
		e.errorf("dev bench-charts", "%v", err)
		return exitFailed
	}
	return exitOK
}
