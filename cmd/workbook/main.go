// Command workbook runs the Go Concurrency Workbook: it shows your progress and the next
// exercise, runs an exercise's tests and explains why they fail, gives hints, grades,
// and checks the workbook itself.
//
// Usage:
//
//	go run ./cmd/workbook [command] [arguments]
//
// The commands, and `go run ./cmd/workbook help`, come from one table (commands.go); the
// README's command table is generated from it. The work is done by the packages under
// internal/, one a concern: CONTRIBUTING.md's package map says which.
//
// Exit status: 0 when the command did what it was asked (for run, watch and status that
// includes showing a failing exercise), 1 when what the command checks is not so (grade:
// an exercise does not pass; dev verify, dev soak, doctor: a problem; dev sums and the
// other dev checks: a file is stale), 2 for a usage error or when the tool cannot do its
// job (no workbook here, a broken manifest), 130 when interrupted (Ctrl-C).
package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/go-concurrency-workbook/workbook/internal/explain"
	"github.com/go-concurrency-workbook/workbook/internal/i18n"
	"github.com/go-concurrency-workbook/workbook/internal/mutation"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/go-concurrency-workbook/workbook/internal/layout"
)

// The exit statuses of every command.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is what every command gets: the workbook's root and where to write.
type env struct {
	root           string
	stdout, stderr io.Writer
	lang           i18n.Lang // the learner's language; the dev commands speak English
}

// errorf prints a message of the tool (not of a test) to stderr.
func (e *env) errorf(cmd, format string, args ...any) {
	fmt.Fprintf(e.stderr, "workbook %s: %s\n", cmd, fmt.Sprintf(format, args...))
}

// run runs one command line and returns its exit status. Once ctx is cancelled
// (Ctrl-C) every command stops its processes, removes its temporary files and returns.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(stderr, "workbook:", err)
		return exitUsage
	}
	return runIn(ctx, wd, args, stdout, stderr)
}

// runIn is run in the directory dir.
func runIn(ctx context.Context, dir string, args []string, stdout, stderr io.Writer) int {
	name := "status"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	table := commands
	if name == "dev" {
		if len(args) == 0 {
			fmt.Fprint(stderr, usage(devCommands, "dev "))
			return exitUsage
		}
		name, args, table = args[0], args[1:], devCommands
	}
	if name == "help" || name == "-h" || name == "-help" || name == "--help" {
		fmt.Fprint(stdout, usage(commands, "")+"\n"+usage(devCommands, "dev "))
		return exitOK
	}
	c := find(table, name)
	if c == nil {
		fmt.Fprintf(stderr, "workbook: no command %q\n\n%s", strings.TrimSpace(name), usage(commands, ""))
		return exitUsage
	}
	root, err := layout.FindRoot(dir)
	if err != nil {
		fmt.Fprintln(stderr, "workbook:", err)
		return exitUsage
	}
	lang := i18n.FromEnv(os.Getenv)
	if table[0] == devCommands[0] {
		lang = i18n.English // maintainers' commands, and the texts the checks compare, are English
	}
	explain.SetLang(lang)
	mutation.SetLang(lang)
	code := c.run(ctx, &env{root: root, stdout: stdout, stderr: stderr, lang: lang}, args)
	if ctx.Err() != nil && errors.Is(context.Cause(ctx), context.Canceled) {
		fmt.Fprintln(stderr, "workbook: interrupted; stopped its test processes and removed its temporary files")
		return exitInterrupted
	}
	return code
}
