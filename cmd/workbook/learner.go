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
		e.errorf(cmd, "%s", e.lang.T("arg.one_exercise"))
		return nil, false
	}
	if len(args) == 1 {
		ex, err := m.Find(args[0])
		if err != nil {
			if n := len(m.Matching(args[0])); n > 1 {
				e.errorf(cmd, "%s", e.lang.T("arg.ambiguous", args[0], n))
			} else {
				e.errorf(cmd, "%s", e.lang.T("arg.no_exercise", args[0]))
			}
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
	fs := flags(e, "status")
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
		e.errorf("run", "%s", e.lang.T("run.cannot_remember", err))
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
	fmt.Fprintln(e.stdout, explain.SummaryLine(x, o.Verdict()))
	if o.Status == runner.Pass {
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
		e.errorf("hint", "%s", e.lang.T("hint.cannot_remember", err))
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
	if !doctor.Run(ctx, e.stdout, e.root, e.lang) {
		return exitFailed
	}
	return exitOK
}

// gradeArgs are grade's arguments, in usage and the command table.
const gradeArgs = "[-json FILE] [-junit FILE] [-timeout D] [-sums FILE] [DIR] | -course COURSE [-out DIR] [-no-sandbox] [-cache DIR] [-shard I/N] LEARNER... | " +
	"-merge -out DIR SHARD... | -roster FILE [-shard I/N | -plan [-target D] [-per-learner D] [-max-shards N]]"

func cmdGrade(ctx context.Context, e *env, args []string) int {
	fs := flags(e, "grade")
	jsonOut := fs.String("json", "", "write the JSON report to `FILE`")
	junitOut := fs.String("junit", "", "write a JUnit XML report to `FILE`")
	limit := fs.Duration("timeout", 120*time.Second, "time limit of one exercise's test process")
	sums := fs.String("sums", "", "the checksum `FILE` to trust (default: "+grade.SumsFile+" at the root)")
	course := fs.String("course", "", "grade the learners' trees named after the flags against the course's checkout `DIR`")
	outDir := fs.String("out", "grades", "with -course: the `DIR` for each learner's reports and the class table")
	noSandbox := fs.Bool("no-sandbox", false, "with -course: run the learners' code without bubblewrap (the reports say so)")
	cache := fs.String("cache", "", "with -course: reuse the report of a learner whose files and course are unchanged, from and into `DIR`")
	shard := fs.String("shard", "", "with -course or -roster: only the `I/N`-th slice of the learners (every N-th from the I-th, 0 <= I < N)")
	merge := fs.Bool("merge", false, "merge the reports under each SHARD directory (a -course's -out) into -out's class.csv and class.md")
	roster := fs.String("roster", "", "print the learners of the roster `FILE` (of -shard), or with -plan the shard count")
	plan := fs.Bool("plan", false, "with -roster: print shards=N and matrix=[0,...] for a job matrix (GitHub's $GITHUB_OUTPUT)")
	target := fs.Duration("target", 30*time.Minute, "with -plan: the wall time wanted for one shard")
	perLearner := fs.Duration("per-learner", 40*time.Second, "with -plan: one learner's grade on one runner (README, Grading in CI)")
	maxShards := fs.Int("max-shards", 20, "with -plan: the most shards")
	rest, err := parseInterspersed(fs, args)
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	only := func(mode string, allowed ...string) bool {
		for name := range set {
			if !slices.Contains(allowed, name) {
				e.errorf("grade", "-%s does not go with %s", name, mode)
				return false
			}
		}
		return true
	}
	switch {
	case err != nil || *limit <= 0:
		fs.Usage()
		return exitUsage
	case *merge:
		if !only("-merge", "merge", "out") || len(rest) == 0 {
			fs.Usage()
			return exitUsage
		}
		return gradeMerge(e, *outDir, rest)
	case *roster != "":
		if !only("-roster", "roster", "shard", "plan", "target", "per-learner", "max-shards") || len(rest) > 0 || (*plan && set["shard"]) {
			fs.Usage()
			return exitUsage
		}
		return gradeRoster(e, *roster, *shard, *plan, grade.Plan{PerLearner: *perLearner, Setup: planSetup, Target: *target, MaxShards: max(*maxShards, 1)})
	case *plan || set["target"] || set["per-learner"] || set["max-shards"]:
		e.errorf("grade", "-plan, -target, -per-learner and -max-shards go with -roster")
		return exitUsage
	case (*course == "" && len(rest) > 1) || (*course != "" && len(rest) == 0):
		fs.Usage()
		return exitUsage
	}
	if *course != "" {
		for _, name := range []string{"json", "junit", "sums"} {
			if set[name] {
				e.errorf("grade", "-%s grades one tree; with -course each learner's grade.json and junit.xml are written under -out, "+
					"and the course's own %s is trusted", name, grade.SumsFile)
				return exitUsage
			}
		}
		return gradeCourse(ctx, e, classRun{course: *course, outDir: *outDir, learners: rest, limit: *limit, noSandbox: *noSandbox,
			cache: *cache}, *shard)
	} else if *noSandbox || *cache != "" || *shard != "" {
		e.errorf("grade", "-no-sandbox, -cache and -shard apply to -course only: without it the learner's own tree is graded, with no sandbox")
		return exitUsage
	}
	return gradeTree(ctx, e, rest, *limit, *sums, *jsonOut, *junitOut)
}

// gradeCourse grades the learners of r (the slice of them that shard names) in the
// sandbox, unless r says not to.
func gradeCourse(ctx context.Context, e *env, r classRun, shard string) int {
	r.shards = 1
	if shard != "" {
		var err error
		if r.shard, r.shards, err = grade.ParseShard(shard); err != nil {
			e.errorf("grade", "%v", err)
			return exitUsage
		}
	}
	if !r.noSandbox {
		if err := runner.SandboxProblem(); err != nil {
			e.errorf("grade", "-course runs the learners' code in a sandbox, and %v.\n"+
				"Install it, or grade without a sandbox with -no-sandbox (the learners' code then runs as you, with your files in reach; every report says so).", err)
			return exitUsage
		}
	}
	return gradeClass(ctx, e, r)
}

// gradeTree grades one tree of the workbook (exercises/, or the directory rest names),
// trusting the checksums of sums, and writes the reports asked for.
func gradeTree(ctx context.Context, e *env, rest []string, limit time.Duration, sums, jsonOut, junitOut string) int {
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
	if sums == "" {
		sums = filepath.Join(e.root, grade.SumsFile)
	}
	// Old reports go first, so that a grade that stops early leaves none behind.
	for _, p := range []string{jsonOut, junitOut} {
		if p != "" {
			_ = os.Remove(p) // a symlink is removed, not followed
		}
	}
	rep, err := grade.Grade(ctx, grade.Options{Root: e.root, Dir: dir, Sums: sums, Limit: limit, Jobs: runner.Procs(),
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
	}{{jsonOut, grade.JSON}, {junitOut, grade.JUnit}} {
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
	fs := flags(e, "bench")
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
	// An exercise edited since its last run may well pass: run it, rather than call it
	// "not done" on no evidence.
	if code := checkChanged(ctx, e, m, views, chapters); code != exitOK {
		return code
	}
	views = progress.Views(e.root, m, progress.Load(e.root))
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
// report and a JUnit file for each learner under outDir/NAME/ (or NAME/error.txt), and
// the class table in outDir/class.csv and outDir/class.md.
func gradeClass(ctx context.Context, e *env, c classRun) int {
	names := grade.ReportNames(c.learners) // over the whole list: a learner's name is the same in every shard
	learners := grade.Shard(c.learners, c.shard, c.shards)
	names = grade.Shard(names, c.shard, c.shards)
	for _, name := range append(slices.Clone(names), "class.csv", "class.md") {
		p := filepath.Join(c.outDir, name)
		if filepath.Dir(p) != filepath.Clean(c.outDir) {
			continue // never anything but an entry of -out (ReportNames makes none other)
		}
		_ = os.RemoveAll(p) // old reports go first
	}
	if c.shards > 1 {
		fmt.Fprintf(e.stderr, "grade: shard %d/%d: %d of %d learners\n", c.shard, c.shards, len(learners), len(c.learners))
	}
	reports, errs := grade.GradeClass(ctx, grade.ClassOptions{Course: c.course, Learners: learners, Limit: c.limit, NoSandbox: c.noSandbox,
		Cache: c.cache, Jobs: runner.Procs(), Progress: func(learner string, done, total int, r *grade.ExerciseReport) {
			fmt.Fprintf(e.stderr, "grade %s [%*d/%d] %-8s %s (%.1fs)\n", learner, len(strconv.Itoa(total)), done, total,
				r.Status, r.ID, r.ElapsedSeconds)
		}})
	if ctx.Err() != nil {
		return exitInterrupted
	}
	code, reused := exitOK, 0
	for i, rep := range reports {
		dir := filepath.Join(c.outDir, names[i])
		if err := os.MkdirAll(dir, 0o755); err != nil {
			e.errorf("grade", "%v", err)
			return exitUsage
		}
		files := map[string][]byte{}
		if rep == nil {
			e.errorf("grade", "%s: %v", learners[i], errs[i])
			code = exitFailed
			files[grade.ErrorFile] = []byte(fmt.Sprintf("%s: %v\n", learners[i], errs[i]))
		} else {
			fmt.Fprintf(e.stdout, "\n%s (%s)\n", names[i], learners[i])
			if rep.Reused {
				reused++
				fmt.Fprintf(e.stdout, "reused: the files and the course are unchanged since the grade of %s\n", rep.Started.Format(time.RFC3339))
			}
			grade.Print(e.stdout, rep)
			if rep.Totals.Pass < rep.Totals.Exercises {
				code = exitFailed
			}
			files["grade.json"], files["junit.xml"] = grade.JSON(rep), grade.JUnit(rep)
		}
		for file, body := range files {
			if err := grade.WriteFile(filepath.Join(dir, file), body); err != nil {
				e.errorf("grade", "%v", err)
				return exitUsage
			}
		}
	}
	if c.cache != "" {
		pruned := grade.PruneCache(c.cache)
		fmt.Fprintf(e.stderr, "grade: %d of %d reports reused from %s (%d unused for 30 days removed)\n", reused, len(reports), c.cache, pruned)
	}
	if !writeClassTable(e, c.outDir, reports, errs, names) {
		return exitUsage
	}
	return code
}

// classRun is what grade -course was asked.
type classRun struct {
	course, outDir, cache string
	learners              []string
	limit                 time.Duration
	noSandbox             bool
	shard, shards         int
}

// writeClassTable writes outDir/class.csv and class.md and prints the Markdown.
func writeClassTable(e *env, outDir string, reports []*grade.Report, errs []error, names []string) bool {
	csv, md := grade.ClassTable(reports, errs, names)
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		e.errorf("grade", "%v", err)
		return false
	}
	for file, body := range map[string]string{"class.csv": csv, "class.md": md} {
		if err := grade.WriteFile(filepath.Join(outDir, file), []byte(body)); err != nil {
			e.errorf("grade", "%v", err)
			return false
		}
	}
	fmt.Fprintf(e.stdout, "\n%s\nreports in %s/\n", md, outDir)
	return true
}

// gradeMerge merges the reports of shards (grade -merge): the class table of every
// learner found under the shard directories, in outDir.
func gradeMerge(e *env, outDir string, shards []string) int {
	reports, errs, names, err := grade.ReadClass(shards)
	if err != nil {
		e.errorf("grade", "%v", err)
		return exitUsage
	}
	if len(reports) == 0 {
		e.errorf("grade", "no learner's reports (NAME/grade.json) under %s", strings.Join(shards, ", "))
		return exitUsage
	}
	if !writeClassTable(e, outDir, reports, errs, names) {
		return exitUsage
	}
	for _, r := range reports {
		if r == nil || r.Totals.Pass < r.Totals.Exercises {
			return exitFailed
		}
	}
	return exitOK
}

// planSetup is a shard's fixed cost on a hosted runner: checkout, setup-go, bubblewrap,
// the module download and the first -race build of the standard library.
const planSetup = 3 * time.Minute

// gradeRoster prints a roster's learners (of one shard), or with plan the shard count
// and the job matrix, as GitHub's $GITHUB_OUTPUT reads them.
func gradeRoster(e *env, path, shard string, plan bool, p grade.Plan) int {
	f, err := os.Open(path)
	if err != nil {
		e.errorf("grade", "%v", err)
		return exitUsage
	}
	defer f.Close()
	roster, err := grade.ReadRoster(f)
	if err != nil {
		e.errorf("grade", "%s: %v", path, err)
		return exitUsage
	}
	if plan {
		p.Learners = len(roster)
		n := p.Shards()
		fmt.Fprintf(e.stdout, "shards=%d\nmatrix=%s\n", n, grade.Matrix(n))
		fmt.Fprintf(e.stderr, "grade: %d learners at %s each, %s of setup: %d shards of at most %d, about %s each (target %s)\n",
			p.Learners, p.PerLearner, p.Setup, n, (p.Learners+n-1)/n, p.Wall(n).Round(time.Minute), p.Target)
		return exitOK
	}
	if shard != "" {
		i, n, err := grade.ParseShard(shard)
		if err != nil {
			e.errorf("grade", "%v", err)
			return exitUsage
		}
		roster = grade.Shard(roster, i, n)
	}
	for _, l := range roster {
		fmt.Fprintln(e.stdout, l)
	}
	return exitOK
}

// checkChanged runs the exercises of chapters whose files changed since their last run,
// and remembers the results, as status -check does.
func checkChanged(ctx context.Context, e *env, m *manifest.Manifest, views []progress.View, chapters []*manifest.Chapter) int {
	var b *attempt.Builder
	for _, v := range views {
		if v.Status != progress.Changed || !slices.Contains(chapters, v.Exercise.Chapter) {
			continue
		}
		if b == nil {
			var err error
			if b, err = attempt.NewBuilder(e.root); err != nil {
				e.errorf("bench", "%v", err)
				return exitUsage
			}
			defer b.Close()
		}
		fmt.Fprintln(e.stderr, e.lang.T("status.checking", v.Exercise.ID()))
		o := attempt.Try(ctx, b, v.Exercise)
		if o.Interrupted {
			return exitInterrupted
		}
		record(e, v.Exercise, v.Key, o)
	}
	return exitOK
}
