package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/go-concurrency-workbook/workbook/internal/i18n"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-concurrency-workbook/workbook/internal/attempt"
	"github.com/go-concurrency-workbook/workbook/internal/bench"
	"github.com/go-concurrency-workbook/workbook/internal/doctor"
	"github.com/go-concurrency-workbook/workbook/internal/explain"
	"github.com/go-concurrency-workbook/workbook/internal/grade"
	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/progress"
	"github.com/go-concurrency-workbook/workbook/internal/runner"
)

// load reads the manifest, printing why it cannot be read.
func load(e *env, cmd string) (*manifest.Manifest, bool) {
	m, err := manifest.Load(e.root)
	if err != nil {
		e.errorf(cmd, "%v", err)
		return nil, false
	}
	if e.lang == i18n.Portuguese {
		// Titles and hints in Portuguese where workbook.pt-BR.json has them; English where not.
		if tr, err := manifest.LoadTranslation(e.root, string(i18n.Portuguese)); err == nil {
			tr.Localize(m)
		}
	}
	return m, true
}

// exerciseArg returns the exercise an argument names, or the next one to do when there
// is no argument (nil when every exercise is done).
func exerciseArg(e *env, cmd string, m *manifest.Manifest, args []string) (*manifest.Exercise, bool) {
	if len(args) > 1 {
		e.errorf(cmd, "one exercise at most, like 03_race/mutex (`go run ./cmd/workbook list` names them)")
		return nil, false
	}
	if len(args) == 1 {
		ex, err := m.Find(args[0])
		if err != nil {
			e.errorf(cmd, "%v", err)
			return nil, false
		}
		return ex, true
	}
	if next := progress.Next(progress.Views(e.root, m, progress.Load(e.root))); next != nil {
		return next.Exercise, true
	}
	return nil, true
}

func bar(done, total, width int) string {
	n := 0
	if total > 0 {
		n = done * width / total
	}
	return fmt.Sprintf("[%s%s] %d%%", strings.Repeat("#", n), strings.Repeat("-", width-n), done*100/max(total, 1))
}

func cmdStatus(ctx context.Context, e *env, args []string) int {
	fs := flags(e, "status", "[-check]")
	check := fs.Bool("check", false, "run the tests of every exercise that has no current result")
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return exitUsage
	}
	m, ok := load(e, "status")
	if !ok {
		return exitUsage
	}
	if *check {
		b, err := attempt.NewBuilder(e.root)
		if err != nil {
			e.errorf("status", "%v", err)
			return exitUsage
		}
		defer b.Close()
		for _, v := range progress.Views(e.root, m, progress.Load(e.root)) {
			if v.Status != progress.Changed {
				continue
			}
			fmt.Fprintln(e.stderr, e.lang.T("status.checking", v.Exercise.ID()))
			o := attempt.Try(ctx, b, v.Exercise)
			if o.Interrupted {
				return exitInterrupted
			}
			record(e, v.Exercise, v.Key, o)
		}
	}
	views := progress.Views(e.root, m, progress.Load(e.root))
	done := progress.CountDone(views)
	fmt.Fprintf(e.stdout, "%s\n%s\n", e.lang.T("status.header", done, len(views)), bar(done, len(views), 40))
	i := 0
	for _, ch := range m.Chapters {
		fmt.Fprintf(e.stdout, "\n%s · %s\n", ch.ID[:2], ch.Title)
		for range ch.Exercises {
			v := views[i]
			i++
			note, mark := "", e.lang.T("status.todo")
			switch v.Status {
			case progress.Done:
				mark = e.lang.T("status.done")
			case progress.Failing:
				note = e.lang.T("status.last_run", explain.Short(v.Kind))
			case progress.Changed:
				mark, note = e.lang.T("status.changed"), e.lang.T("status.not_checked", v.Exercise.ID())
				if v.DoneBefore {
					note = e.lang.T("status.not_checked_passed", v.Exercise.ID())
				}
			}
			fmt.Fprintf(e.stdout, "  %-7s  %-12s %s%s\n", mark, v.Exercise.Name, v.Exercise.Title, note)
		}
	}
	fmt.Fprintln(e.stdout)
	next := progress.Next(views)
	if next == nil {
		fmt.Fprintln(e.stdout, e.lang.T("all_done"))
		return exitOK
	}
	x := next.Exercise
	fmt.Fprintln(e.stdout, e.lang.T("status.next", x.ID(), x.Title, x.ID(), x.Command()))
	fmt.Fprintln(e.stdout, e.lang.T("status.guide", x.Chapter.ID, e.lang.Guide(), x.ID()))
	if len(next.Failed) > 0 {
		fmt.Fprintln(e.stdout, e.lang.T("status.failing", strings.Join(next.Failed, ", ")))
	}
	return exitOK
}

// record remembers an attempt's outcome for status.
func record(e *env, x *manifest.Exercise, key string, o attempt.Outcome) {
	if key == "" || o.Interrupted {
		return
	}
	if err := progress.Record(e.root, x, key, o.Status, o.Kind, o.Failed); err != nil {
		e.errorf("run", "cannot remember the result: %v", err)
	}
}

func cmdRun(ctx context.Context, e *env, args []string) int {
	m, ok := load(e, "run")
	if !ok {
		return exitUsage
	}
	x, ok := exerciseArg(e, "run", m, args)
	if !ok {
		return exitUsage
	}
	if x == nil {
		fmt.Fprintln(e.stdout, e.lang.T("run.all_done"))
		return exitOK
	}
	b, err := attempt.NewBuilder(e.root)
	if err != nil {
		e.errorf("run", "%v", err)
		return exitUsage
	}
	defer b.Close()
	runAndExplain(ctx, e, b, m, x)
	return exitOK
}

// runAndExplain runs the tests of x, remembers the result, and prints either the pass and
// the next exercise, or the failures explained. It reports whether x passed.
func runAndExplain(ctx context.Context, e *env, b *attempt.Builder, m *manifest.Manifest, x *manifest.Exercise) bool {
	fmt.Fprintf(e.stdout, "%s · %s\n  %s\n\n", x.ID(), x.Title, x.Command())
	key, _ := progress.Key(e.root, x)
	o := attempt.Try(ctx, b, x)
	if o.Interrupted {
		return false
	}
	record(e, x, key, o)
	defer func() {
		for _, n := range o.NotChecked {
			fmt.Fprintln(e.stdout, e.lang.T("run.note", n))
		}
	}()
	secs := o.Elapsed.Seconds()
	if o.Status == runner.Pass {
		if x.Writes() {
			fmt.Fprintln(e.stdout, explain.TestsPassLine(x, len(o.LearnerTests), o.Mutants, secs))
		} else {
			fmt.Fprintln(e.stdout, explain.PassLine(x, secs))
		}
		views := progress.Views(e.root, m, progress.Load(e.root))
		done := progress.CountDone(views)
		fmt.Fprintln(e.stdout, e.lang.T("run.progress", bar(done, len(views), 40), done, len(views)))
		if next := progress.Next(views); next != nil {
			fmt.Fprintln(e.stdout, e.lang.T("run.next", next.Exercise.ID(), next.Exercise.Title, next.Exercise.ID()))
		} else {
			fmt.Fprintln(e.stdout, e.lang.T("all_done"))
		}
		return true
	}
	switch {
	case o.Kind == explain.Build:
		fmt.Fprintln(e.stdout, explain.BuildFailLine(x, secs))
	case x.Writes():
		fmt.Fprintln(e.stdout, explain.TestsFailLine(x, x.Files, secs))
	default:
		fmt.Fprintln(e.stdout, explain.FailLine(x, len(o.Failed), len(x.Tests), secs))
	}
	explain.Write(e.stdout, x, o.Reports, progress.Load(e.root).Hints[x.ID()])
	return false
}

func cmdHint(ctx context.Context, e *env, args []string) int {
	m, ok := load(e, "hint")
	if !ok {
		return exitUsage
	}
	x, ok := exerciseArg(e, "hint", m, args)
	if !ok {
		return exitUsage
	}
	if x == nil {
		fmt.Fprintln(e.stdout, e.lang.T("hint.all_done"))
		return exitOK
	}
	s := progress.Load(e.root)
	n := min(s.Hints[x.ID()]+1, len(x.Hints))
	fmt.Fprintf(e.stdout, "%s\n  %s\n", e.lang.T("hint.head", x.ID(), n, len(x.Hints)), x.Hints[n-1])
	if n < len(x.Hints) {
		fmt.Fprintln(e.stdout, e.lang.T("hint.more", x.Chapter.ID, e.lang.Guide()))
	}
	s.Hints[x.ID()] = n
	if err := s.Save(e.root); err != nil {
		e.errorf("hint", "cannot remember the hint: %v", err)
	}
	return exitOK
}

func cmdList(ctx context.Context, e *env, args []string) int {
	m, ok := load(e, "list")
	if !ok {
		return exitUsage
	}
	for _, x := range m.Exercises() {
		fmt.Fprintf(e.stdout, "%-24s %-9s %s\n    %s\n", x.ID(), x.Kind, x.Title, x.Command())
	}
	return exitOK
}

func cmdReset(ctx context.Context, e *env, args []string) int {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(e.stderr, "usage: go run ./cmd/workbook reset EXERCISE\n  restores the exercise's starting code, after saving your version beside it as FILE.mine\n  (`go run ./cmd/workbook list` names the exercises)")
		return exitUsage
	}
	m, ok := load(e, "reset")
	if !ok {
		return exitUsage
	}
	x, err := m.Find(args[0])
	if err != nil {
		e.errorf("reset", "%v", err)
		return exitUsage
	}
	if err := progress.Reset(ctx, e.stdout, e.root, x); err != nil {
		e.errorf("reset", "%v", err)
		return exitFailed
	}
	return exitOK
}

func cmdDoctor(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(e.stderr, "usage: go run ./cmd/workbook doctor")
		return exitUsage
	}
	if !doctor.Run(ctx, e.stdout, e.root) {
		return exitFailed
	}
	return exitOK
}

func cmdGrade(ctx context.Context, e *env, args []string) int {
	fs := flags(e, "grade", "[-json FILE] [-junit FILE] [-timeout D] [-sums FILE] [DIR] | -course COURSE [-out DIR] LEARNER...")
	jsonOut := fs.String("json", "", "write the JSON report to `FILE`")
	junitOut := fs.String("junit", "", "write a JUnit XML report to `FILE`")
	limit := fs.Duration("timeout", 120*time.Second, "time limit of one exercise's test process")
	sums := fs.String("sums", "", "the checksum `FILE` to trust (default: "+grade.SumsFile+" at the root)")
	course := fs.String("course", "", "grade the learners' trees named after the flags against the course's checkout `DIR`")
	outDir := fs.String("out", "grades", "with -course: the `DIR` for each learner's reports and the class table")
	noSandbox := fs.Bool("no-sandbox", false, "with -course: run the learners' code without bubblewrap (the reports say so)")
	rest, err := parseInterspersed(fs, args)
	if err != nil || *limit <= 0 || (*course == "" && len(rest) > 1) || (*course != "" && len(rest) == 0) {
		fs.Usage()
		return exitUsage
	}
	if *course != "" {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for _, name := range []string{"json", "junit", "sums"} {
			if set[name] {
				e.errorf("grade", "-%s grades one tree; with -course each learner's grade.json and junit.xml are written under -out, "+
					"and the course's own %s is trusted", name, grade.SumsFile)
				return exitUsage
			}
		}
		if !*noSandbox {
			if err := runner.SandboxProblem(); err != nil {
				e.errorf("grade", "-course runs the learners' code in a sandbox, and %v.\n"+
					"Install it, or grade without a sandbox with -no-sandbox (the learners' code then runs as you, with your files in reach; every report says so).", err)
				return exitUsage
			}
		}
		return gradeClass(ctx, e, *course, *outDir, rest, *limit, *noSandbox)
	} else if *noSandbox {
		e.errorf("grade", "-no-sandbox applies to -course only: without it the learner's own tree is graded, with no sandbox")
		return exitUsage
	}
	dir := layout.Exercises
	if len(rest) == 1 {
		abs, err := filepath.Abs(rest[0])
		rel, err2 := filepath.Rel(e.root, abs)
		if err != nil || err2 != nil || rel == "." || strings.HasPrefix(rel, "..") {
			e.errorf("grade", "%s is not a directory of chapters inside the workbook (%s)", rest[0], e.root)
			return exitUsage
		}
		dir = filepath.ToSlash(rel)
	}
	if *sums == "" {
		*sums = filepath.Join(e.root, grade.SumsFile)
	}
	// Old reports go first, so that a grade that stops early leaves none behind.
	for _, p := range []string{*jsonOut, *junitOut} {
		if p != "" {
			_ = os.Remove(p) // a symlink is removed, not followed
		}
	}
	rep, err := grade.Grade(ctx, grade.Options{Root: e.root, Dir: dir, Sums: *sums, Limit: *limit, Jobs: runner.Procs(),
		Progress: func(done, total int, r *grade.ExerciseReport) {
			fmt.Fprintf(e.stderr, "grade [%*d/%d] %-8s %s (%.1fs)\n", len(strconv.Itoa(total)), done, total, r.Status, r.ID, r.ElapsedSeconds)
		}})
	if err != nil {
		e.errorf("grade", "%v", err)
		return exitUsage
	}
	grade.Print(e.stdout, rep)
	for _, out := range []struct {
		path string
		body func(*grade.Report) []byte
	}{{*jsonOut, grade.JSON}, {*junitOut, grade.JUnit}} {
		if out.path == "" {
			continue
		}
		if err := grade.WriteFile(out.path, out.body(rep)); err != nil {
			e.errorf("grade", "%v", err)
			return exitUsage
		}
	}
	if rep.Totals.Pass < rep.Totals.Exercises {
		return exitFailed
	}
	return exitOK
}

func cmdBench(ctx context.Context, e *env, args []string) int {
	fs := flags(e, "bench", "[EXERCISE or CHAPTER] [-rounds 3] [-benchtime 200ms] [-cpu 1,2] [-bench .] [-python python3|off]")
	rounds := fs.Int("rounds", 3, "rounds of yours-then-reference runs (medians and spreads come from them)")
	benchtime := fs.String("benchtime", "200ms", "go test's -benchtime: how long each benchmark runs")
	cpu := fs.String("cpu", "1,2", "the -cpu (GOMAXPROCS) values")
	pattern := fs.String("bench", ".", "the benchmarks to run, a go test -bench pattern")
	python := fs.String("python", "", "the Python for the seed's programs: a path or a name on PATH, or off (default: python3 if found)")
	rest, err := parseInterspersed(fs, args)
	if err != nil || len(rest) > 1 || *rounds < 1 {
		return exitUsage
	}
	var cpus []int
	for _, s := range strings.Split(*cpu, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			e.errorf("bench", "-cpu %q is not a list of counts like 1,2", *cpu)
			return exitUsage
		}
		cpus = append(cpus, n)
	}
	m, ok := load(e, "bench")
	if !ok {
		return exitUsage
	}
	views := progress.Views(e.root, m, progress.Load(e.root))
	chapters, err := benchChapters(m, views, rest)
	if err != nil {
		e.errorf("bench", "%v", err)
		return exitUsage
	}
	code := exitOK
	for _, ch := range chapters {
		var notDone []string
		for _, v := range views {
			if v.Exercise.Chapter == ch && v.Status != progress.Done {
				notDone = append(notDone, v.Exercise.Name)
			}
		}
		ok, err := bench.Run(ctx, e.stdout, bench.Options{Root: e.root, Chapter: ch, NotDone: notDone, Bench: *pattern,
			Benchtime: *benchtime, CPU: cpus, Rounds: *rounds, Reference: true, Python: *python})
		if err != nil {
			e.errorf("bench", "%v", err)
			return exitUsage
		}
		if !ok {
			code = exitFailed
		}
	}
	return code
}

// benchChapters resolves the argument of bench: a chapter ("09_hashing", "hashing" or
// "09"), an exercise (its chapter), or nothing (the next exercise's chapter, or all).
func benchChapters(m *manifest.Manifest, views []progress.View, args []string) ([]*manifest.Chapter, error) {
	if len(args) == 0 {
		if next := progress.Next(views); next != nil {
			return []*manifest.Chapter{next.Exercise.Chapter}, nil
		}
		return m.Chapters, nil
	}
	what := args[0]
	if i := slices.IndexFunc(m.Chapters, func(ch *manifest.Chapter) bool {
		return what == ch.ID || what == strings.TrimLeft(ch.ID, "0123456789_") || what == ch.ID[:2]
	}); i >= 0 {
		return m.Chapters[i : i+1], nil
	}
	x, err := m.Find(what)
	if err != nil {
		return nil, fmt.Errorf("no chapter or exercise %q: `go run ./cmd/workbook list` names them", what)
	}
	return []*manifest.Chapter{x.Chapter}, nil
}

// gradeClass grades learners' trees against a course's checkout (grade -course): a
// report and a JUnit file for each learner under outDir/NAME/, and the class table in
// outDir/class.csv and outDir/class.md.
func gradeClass(ctx context.Context, e *env, course, outDir string, learners []string, limit time.Duration, noSandbox bool) int {
	names := grade.ReportNames(learners)
	for _, name := range append(names, "class.csv", "class.md") {
		p := filepath.Join(outDir, name)
		if filepath.Dir(p) != filepath.Clean(outDir) {
			continue // never anything but an entry of -out (ReportNames makes none other)
		}
		_ = os.RemoveAll(p) // old reports go first
	}
	reports, errs := grade.GradeClass(ctx, grade.ClassOptions{Course: course, Learners: learners, Limit: limit, NoSandbox: noSandbox,
		Jobs: runner.Procs(), Progress: func(learner string, done, total int, r *grade.ExerciseReport) {
			fmt.Fprintf(e.stderr, "grade %s [%*d/%d] %-8s %s (%.1fs)\n", learner, len(strconv.Itoa(total)), done, total,
				r.Status, r.ID, r.ElapsedSeconds)
		}})
	if ctx.Err() != nil {
		return exitInterrupted
	}
	code := exitOK
	for i, rep := range reports {
		if rep == nil {
			e.errorf("grade", "%s: %v", learners[i], errs[i])
			code = exitFailed
			continue
		}
		fmt.Fprintf(e.stdout, "\n%s (%s)\n", names[i], learners[i])
		grade.Print(e.stdout, rep)
		if rep.Totals.Pass < rep.Totals.Exercises {
			code = exitFailed
		}
		dir := filepath.Join(outDir, names[i])
		if err := os.MkdirAll(dir, 0o755); err != nil {
			e.errorf("grade", "%v", err)
			return exitUsage
		}
		for file, body := range map[string][]byte{"grade.json": grade.JSON(rep), "junit.xml": grade.JUnit(rep)} {
			if err := grade.WriteFile(filepath.Join(dir, file), body); err != nil {
				e.errorf("grade", "%v", err)
				return exitUsage
			}
		}
	}
	csv, md := grade.ClassTable(reports, errs, names)
	for file, body := range map[string]string{"class.csv": csv, "class.md": md} {
		if err := grade.WriteFile(filepath.Join(outDir, file), []byte(body)); err != nil {
			e.errorf("grade", "%v", err)
			return exitUsage
		}
	}
	fmt.Fprintf(e.stdout, "\n%s\nreports in %s/\n", md, outDir)
	return code
}
