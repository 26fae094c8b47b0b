package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

// command is one row of the command table: how it is called, what it does (a line for
// usage, a paragraph for the README) and the function that does it.
type command struct {
	name    string
	args    string
	summary string // one line, for usage
	doc     string // the README's description
	run     func(ctx context.Context, e *env, args []string) int
}

// commands are the learner's commands; devCommands are the maintainer's, under `dev`.
// Both are set in init, since the help command refers to them.
var commands, devCommands []*command

func init() {
	commands = []*command{
		{name: "status", args: "[-check]", summary: "your progress and the next exercise, with the command to run it (the default)",
			doc: "progress bar, every exercise done or to do, and the next one with the command that runs it; it runs no test: " +
				"it shows the results `run` remembered for exactly the files they were found on (each exercise's own files, the chapter's shared code and tests, " +
				"`internal/`, its `testdata/`, `go.mod` and the Go version), \"to do\" for untouched starting code, and \"changed\" for an edited exercise " +
				"with no current result; `-check` runs those", run: cmdStatus},
		{name: "run", args: "[EXERCISE]", summary: "run an exercise's tests under -race and explain why they fail (default: your next one)",
			doc: "builds the chapter under `-race` and runs each test of the exercise (default: your next one) in a process of its own, several at once, " +
				"each with a time limit; prints one line for each failing test with its own message, then the most specific failure in detail " +
				"(the test's whole message first, what it means, the goroutines running your code) and the hint that belongs to it; " +
				"when it passes, names the next exercise; remembers the result for `status`", run: cmdRun},
		{name: "watch", summary: "rerun your next exercise whenever its files change; move on when it passes",
			doc: "reruns your next exercise whenever a file of its chapter changes (it polls sizes, times and contents, so it works on any file system; " +
				"a save in several writes runs once), explains the result as `run` does, and moves on to the next exercise when it passes", run: cmdWatch},
		{name: "hint", args: "[EXERCISE]", summary: "the next hint for an exercise (default: your next one)",
			doc: "the next hint, from a nudge to nearly the answer (`hint 03_race/mutex`; default: your next exercise); " +
				"it remembers how many you have seen in `.workbook/`, which git ignores", run: cmdHint},
		{name: "list", summary: "every exercise and the command that runs it",
			doc: "every exercise with the `go test` command that runs it", run: cmdList},
		{name: "reset", args: "EXERCISE", summary: "restore an exercise's starting code, saving yours beside it as FILE.mine",
			doc: "restores the exercise's starting code from git history (the version `testdata/workbook/starting.sum` records), " +
				"after saving yours beside it as `FILE.mine` (or `FILE.YYYYMMDD-HHMM.mine` when that is taken); changes nothing else, " +
				"and nothing at all if the starting code cannot be found", run: cmdReset},
		{name: "bench", args: "[EXERCISE or CHAPTER] [-rounds 3] [-benchtime 200ms] [-cpu 1,2] [-bench .] [-python python3|off]",
			summary: "the chapter's benchmarks on yours and the reference, in turn, beside the guide's targets and the seed's Python",
			doc: "builds the chapter's benchmarks without `-race` for your code and the reference and runs them in turn (yours, the reference, yours, ...), " +
				"then prints each target of the guide with both medians, their spread and a verdict (meets, misses, or inconclusive when the spread " +
				"straddles the target or the machine had too few idle cores for it: it says how many it found), and your time per op beside the reference's; " +
				"\"not done yet\" instead of a ratio while the chapter's exercises fail; in chapters 01, 03, 06, 09, 12 and 13, when `python3` is found, " +
				"the seed's Python programs (`testdata/NN_topic/python/`) run in the same rounds: throughput, the speed-up from 1 to 2 workers for each language, " +
				"the guide's Go ÷ Python targets with verdicts, and a chart of throughput against workers in `.workbook/bench/CHAPTER.svg`", run: cmdBench},
		{name: "grade", args: gradeArgs,
			summary: "grade every exercise, each in its own process; exit 0 only if all pass",
			doc: "grades every exercise under DIR (default `exercises/`; `solutions` grades the reference), each in a `-race` test process of its own " +
				"with a time limit (default 120s), after checking the tests, `testdata/`, `internal/`, the manifest, `go.mod` and `go.sum` against " +
				"`workbook.sum`; with `-course`, grades each LEARNER's tree against the course's own checkout, taking only the learner's files, " +
				"and writes a report for each and the class table under `-out` (`-cache DIR` reuses the report of a learner whose files and course are unchanged, " +
				"`-shard I/N` grades one slice of the learners); `-merge` makes one class table of the shards' reports; `-roster FILE` prints a roster's " +
				"learners of a shard, or with `-plan` how many shards a class needs; exit status 0 only when all pass; see [Grading in CI](#grading-in-ci)", run: cmdGrade},
		{name: "doctor", summary: "check Go, cgo and a C compiler, the race detector, cores and the module cache",
			doc: "checks your machine: Go against `go.mod`, cgo and a C compiler, a tiny `-race` program, cores and GOMAXPROCS, " +
				"the pinned modules in the module cache (offline); prints the fix for each problem and exits 1 if there is one", run: cmdDoctor},
	}
	devCommands = []*command{
		{name: "verify", args: "[STEP...]", summary: "every check of make check, ending with `N passed, N failed`",
			doc: "what `make check` and CI run: gofmt, vet and `go mod tidy`; exercises and solutions are twins; the solutions, `internal/` and the tool " +
				"pass under `-race` and the benchmarks run; every exercise test fails alone as shipped; every mutant is caught by the tests it names; " +
				"the manifest, the guides and this README agree; the checksum files are current; every package and test binary builds for Windows " +
				"and macOS, and a clone made with `core.autocrlf=true` (Git for Windows' default) shows every exercise to do, resets, and matches " +
				"`workbook.sum`; with step numbers, only those steps", run: cmdVerify},
		{name: "soak", args: "[-solutions 100] [-cpu 1,2,4,8] [-mutants 10] [-mutant-cpu 1,2,8] [-parallel 2] [CHAPTER...]",
			summary: "repeat the solutions and the mutants; print flake rates and kill rates",
			doc: "runs each chapter's solution tests many times under `-race` at each `-cpu`, two processes at a time, and every mutant against each test " +
				"that must catch it; prints each flake rate with its 95% upper bound and each kill rate", run: cmdSoak},
		{name: "sums", args: "[-w]", summary: "check (or rewrite) workbook.sum, the checksums grade trusts",
			doc: "checks (with `-w`, rewrites) `workbook.sum`, the SHA-256 sums of the test files, `testdata/`, `internal/`, the manifest, " +
				"`go.mod` and `go.sum` that `grade` trusts", run: cmdSums},
		{name: "translations", args: "[-w]", summary: "check (or rewrite) the record of the English the translations follow",
			doc: "checks (with `-w`, rewrites) `testdata/workbook/translations.sum`, the SHA-256 of each section of the English guides and each title " +
				"and hint of the manifest as they were when the Portuguese was last brought in step: `make check` lists what changed since", run: cmdTranslations},
		{name: "starting-sums", args: "[-w]", summary: "check (or rewrite) the checksums of the starting code",
			doc: "checks (with `-w`, rewrites) `testdata/workbook/starting.sum`, the SHA-256 sums of the starting code that `status` and `reset` use",
			run: cmdStartingSums},
		{name: "bench-charts", args: "[-w] [-rounds 3] [-benchtime 200ms] [-cpu 1,2] [-python python3] [-min-idle 1.5] [CHAPTER...]",
			summary: "measure the reference beside the seed's Python and regenerate the guides' charts and figures",
			doc: "runs the reference's benchmarks and the chapter's Python peer in turn (every chapter with one, or those named) and, with `-w`, " +
				"writes the chart `bench.svg` beside the guide in both trees and the figures it was made from between the guide's `bench-figures` markers; " +
				"without `-w`, writes the charts to `.workbook/bench/` and prints the figures; a guide keeps its figures when fewer than `-min-idle` cores " +
				"were idle on average during the rounds", run: cmdBenchCharts},
		{name: "readme", args: "[-w]", summary: "print (or write into README.md) the chapter and command tables",
			doc: "prints (with `-w`, writes into README.md) the chapter table, from `workbook.json`, and this table, from the tool's command table",
			run: cmdReadme},
	}
}

// find returns the command called name in table, or nil.
func find(table []*command, name string) *command {
	for _, c := range table {
		if c.name == name {
			return c
		}
	}
	return nil
}

// usage renders a command table for `help`.
func usage(table []*command, prefix string) string {
	var b strings.Builder
	if prefix == "" {
		b.WriteString("usage: go run ./cmd/workbook [command]\n\n")
	} else {
		b.WriteString("maintainers' commands: go run ./cmd/workbook dev command\n\n")
	}
	for _, c := range table {
		line := prefix + c.name
		if c.args != "" {
			line += " " + c.args
		}
		fmt.Fprintf(&b, "  %s\n      %s\n", line, c.summary)
	}
	return b.String()
}

// readmeTable renders both command tables for the README.
func readmeTable() string {
	var b strings.Builder
	b.WriteString("| command | what it does |\n| --- | --- |\n")
	for _, group := range []struct {
		table  []*command
		prefix string
	}{{commands, ""}, {devCommands, "dev "}} {
		for _, c := range group.table {
			line := "go run ./cmd/workbook " + group.prefix + c.name
			if c.args != "" {
				line += " " + c.args
			}
			// A | in a table cell ends it, even inside a code span, unless escaped.
			fmt.Fprintf(&b, "| `%s` | %s |\n", strings.ReplaceAll(line, "|", `\|`), c.doc)
		}
	}
	return b.String()
}

// argsOf returns the arguments the command table gives command name ("grade", or "dev
// soak"): the one place they are written, for usage, help and the README.
func argsOf(name string) string {
	table, n := commands, name
	if rest, ok := strings.CutPrefix(name, "dev "); ok {
		table, n = devCommands, rest
	}
	if c := find(table, n); c != nil {
		return c.args
	}
	return ""
}

// flags returns a flag set for a command that prints its errors and usage to e.stderr.
func flags(e *env, name string) *flag.FlagSet {
	args := argsOf(name)
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: go run ./cmd/workbook %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterspersed parses flags that may come before or after positional arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
}
