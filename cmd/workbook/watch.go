package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/attempt"
	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/progress"
)

func cmdWatch(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(e.stderr, "usage: go run ./cmd/workbook watch\n  (it works on the next exercise to do; `go run ./cmd/workbook` shows which)")
		return exitUsage
	}
	m, ok := load(e, "watch")
	if !ok {
		return exitUsage
	}
	var todo []*manifest.Exercise
	for _, v := range progress.Views(e.root, m, progress.Load(e.root)) {
		if v.Status != progress.Done {
			todo = append(todo, v.Exercise)
		}
	}
	if len(todo) == 0 {
		fmt.Fprintln(e.stdout, e.lang.T("watch.nothing"))
		return exitOK
	}
	b, err := attempt.NewBuilder(e.root)
	if err != nil {
		e.errorf("watch", "%v", err)
		return exitUsage
	}
	defer b.Close()
	ticker := time.NewTicker(attempt.WatchPoll)
	defer ticker.Stop()
	w := &attempt.Watcher{
		Out: e.stdout,
		Run: func(ctx context.Context, x *manifest.Exercise) bool {
			b.Forget(x.Chapter.ID) // the chapter's files changed: build it again
			return runAndExplain(ctx, e, b, m, x)
		},
		Snapshot: attempt.DirSnapshot,
		Dir:      func(x *manifest.Exercise) string { return filepath.Join(e.root, layout.Exercises, x.Chapter.ID) },
		Wait:     attempt.TickerWait(ticker.C),
		AllDone:  e.lang.T("all_done"),
		Lang:     e.lang,
	}
	if !w.Loop(ctx, todo) {
		fmt.Fprintln(e.stdout, "\n"+e.lang.T("watch.stopped"))
	}
	return exitOK
}
