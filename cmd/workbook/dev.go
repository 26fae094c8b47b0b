package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-concurrency-workbook/workbook/internal/bench"
	"github.com/go-concurrency-workbook/workbook/internal/check"
	"github.com/go-concurrency-workbook/workbook/internal/grade"
	"github.com/go-concurrency-workbook/workbook/internal/layout"
	"github.com/go-concurrency-workbook/workbook/internal/manifest"
	"github.com/go-concurrency-workbook/workbook/internal/progress"
	"github.com/go-concurrency-workbook/workbook/internal/sums"
)

func cmdVerify(ctx context.Context, e *env, args []string) int {
	var steps []int
	if len(args) > 0 {
		var err error
		if steps, err = intList(strings.Join(args, ",")); err != nil {
			fmt.Fprintln(e.stderr, "usage: go run ./cmd/workbook dev verify [STEP...]")
			return exitUsage
		}
	}
	_, failed := check.Verify(ctx, e.stdout, check.Options{Root: e.root, Commands: readmeTable(),
		TargetProblems: bench.TargetProblems, Steps: steps})
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}

// intList parses a comma-separated list of positive counts, like 1,2,4,8.
func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a list of counts like 1,2,4,8", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func cmdSoak(ctx context.Context, e *env, args []string) int {
	fs := flags(e, "dev soak")
	nSol := fs.Int("solutions", 100, "runs of each chapter's solution tests under -race, at each -cpu")
	cpu := fs.String("cpu", "1,2,4,8", "the -cpu values of the solutions' runs")
	nMut := fs.Int("mutants", 10, "runs of each mutant against each test that must catch it, at each -mutant-cpu")
	mcpu := fs.String("mutant-cpu", "1,2,8", "the -cpu values of the mutants' runs")
	par := fs.Int("parallel", 2, "test processes at once")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	cpus, err1 := intList(*cpu)
	mcpus, err2 := intList(*mcpu)
	if err1 != nil || err2 != nil || *nSol < 0 || *nMut < 0 {
		e.errorf("dev soak", "%v", firstErr(err1, err2, fmt.Errorf("negative counts")))
		return exitUsage
	}
	ok, err := check.Soak(ctx, e.stdout, check.SoakOptions{Root: e.root, Chapters: rest, Solutions: *nSol, CPUs: cpus,
		Mutants: *nMut, MutantCPUs: mcpus, Parallel: *par})
	if err != nil {
		e.errorf("dev soak", "%v", err)
		return exitUsage
	}
	if !ok {
		return exitFailed
	}
	return exitOK
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// writeFlag parses the -w flag of the dev commands that check or rewrite a file.
func writeFlag(e *env, name string, args []string) (write, ok bool) {
	fs := flags(e, "dev "+name)
	w := fs.Bool("w", false, "rewrite the file")
	if fs.Parse(args) != nil || fs.NArg() > 0 {
		return false, false
	}
	return *w, true
}

func cmdSums(ctx context.Context, e *env, args []string) int {
	write, ok := writeFlag(e, "sums", args)
	if !ok {
		return exitUsage
	}
	got, err := grade.CurrentSums(e.root, layout.Exercises)
	if err != nil {
		e.errorf("dev sums", "%v", err)
		return exitUsage
	}
	if write {
		if err := os.WriteFile(filepath.Join(e.root, grade.SumsFile), got.Format(""), 0o644); err != nil {
			e.errorf("dev sums", "%v", err)
			return exitUsage
		}
		fmt.Fprintf(e.stdout, "wrote %s: %d files\n", grade.SumsFile, len(got))
		return exitOK
	}
	changes, _, err := grade.Integrity(e.root, layout.Exercises, filepath.Join(e.root, grade.SumsFile))
	if err != nil {
		e.errorf("dev sums", "%v", err)
		return exitFailed
	}
	if len(changes) == 0 {
		fmt.Fprintf(e.stdout, "%s is current: %d files\n", grade.SumsFile, len(got))
		return exitOK
	}
	printChanges(e, changes)
	fmt.Fprintf(e.stdout, "%s is stale: %d files differ; if the changes are meant, run `%s`\n", grade.SumsFile, len(changes), grade.SumsFix)
	return exitFailed
}

func printChanges(e *env, changes []sums.Change) {
	for _, c := range changes {
		fmt.Fprintf(e.stdout, "  %s\n", c)
	}
}

func cmdStartingSums(ctx context.Context, e *env, args []string) int {
	write, ok := writeFlag(e, "starting-sums", args)
	if !ok {
		return exitUsage
	}
	if write {
		if err := progress.WriteStartingSums(e.root); err != nil {
			e.errorf("dev starting-sums", "%v", err)
			return exitUsage
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", progress.StartingSums)
		return exitOK
	}
	current, err := progress.StartingSumsCurrent(e.root)
	if err != nil || !current {
		fmt.Fprintf(e.stdout, "%s is stale: run `go run ./cmd/workbook dev starting-sums -w` after changing the starting code\n", progress.StartingSums)
		return exitFailed
	}
	fmt.Fprintf(e.stdout, "%s is current\n", progress.StartingSums)
	return exitOK
}

func cmdReadme(ctx context.Context, e *env, args []string) int {
	write, ok := writeFlag(e, "readme", args)
	if !ok {
		return exitUsage
	}
	m, ok := load(e, "dev readme")
	if !ok {
		return exitUsage
	}
	path := filepath.Join(e.root, "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		e.errorf("dev readme", "%v", err)
		return exitUsage
	}
	updated, ok := check.Readme(string(b), m, readmeTable())
	if !ok {
		e.errorf("dev readme", "README.md lacks the markers of the chapter table or of the command table")
		return exitUsage
	}
	if !write {
		fmt.Fprint(e.stdout, check.ChapterTable(m)+"\n"+readmeTable())
		return exitOK
	}
	if updated != string(b) {
		if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
			e.errorf("dev readme", "%v", err)
			return exitUsage
		}
	}
	// The Portuguese README's chapter table, from workbook.pt-BR.json.
	ptPath := filepath.Join(e.root, check.TranslatedGuide)
	tr, err := manifest.LoadTranslation(e.root, check.Lang)
	pt, err2 := os.ReadFile(ptPath)
	if err != nil || err2 != nil {
		return exitOK // no translation here: nothing more to write
	}
	if updated, ok := check.ReadmePt(string(pt), m, tr); ok && updated != string(pt) {
		if err := os.WriteFile(ptPath, []byte(updated), 0o644); err != nil {
			e.errorf("dev readme", "%v", err)
			return exitUsage
		}
	}
	return exitOK
}

func cmdTranslations(ctx context.Context, e *env, args []string) int {
	write, ok := writeFlag(e, "translations", args)
	if !ok {
		return exitUsage
	}
	m, ok := load(e, "dev translations")
	if !ok {
		return exitUsage
	}
	if write {
		if err := check.WriteTranslationSums(e.root, m); err != nil {
			e.errorf("dev translations", "%v", err)
			return exitUsage
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", check.TranslationSums)
		return exitOK
	}
	stale, err := check.StaleTranslations(e.root, m)
	if err != nil {
		e.errorf("dev translations", "%v", err)
		return exitFailed
	}
	if len(stale) > 0 {
		fmt.Fprintln(e.stdout, "The English changed since the translations were brought in step; update the Portuguese of:")
		for _, c := range stale {
			fmt.Fprintf(e.stdout, "  %s (%s)\n", c.Path, c.Change)
		}
		fmt.Fprintf(e.stdout, "then run `%s`\n", check.TranslationsFix)
		return exitFailed
	}
	fmt.Fprintf(e.stdout, "%s is current\n", check.TranslationSums)
	return exitOK
}
